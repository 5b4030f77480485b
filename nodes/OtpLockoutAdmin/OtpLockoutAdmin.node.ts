import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { normalizeIdentifier, type OtpService } from '../../lib/otp';
import { inputError } from '../shared/errors';
import { OTP_CREDENTIAL, OTP_UNKNOWN_ERROR, failureRuleOf, failureRuleOptions, identifierOptions, otpServiceOf, otpStoreApiTest, type FailureRuleInput } from '../shared/otp';
import { runItems, type Routed } from '../shared/runner';

interface AdminOptions extends FailureRuleInput {
	defaultCountry?: string;
	identifierType?: 'auto' | 'phone' | 'text';
}

async function adminItem(ctx: IExecuteFunctions, service: OtpService, i: number): Promise<Routed> {
	const operation = String(ctx.getNodeParameter('operation', i));
	const options = ctx.getNodeParameter('options', i, {}) as AdminOptions;
	const identifier = normalizeIdentifier(ctx.getNodeParameter('identifier', i, '') as unknown, {
		type: options.identifierType ?? 'auto',
		defaultCountry: options.defaultCountry ?? 'US',
	});
	if (!identifier.ok) throw inputError(`Identifier: ${identifier.reason}.`, 'identifier');
	const base = { identifier: identifier.masked };
	if (operation === 'reset') {
		const hadFailures = await service.resetFailures(identifier.value);
		return { output: 0, json: { ...base, reset: true, hadFailures } };
	}
	const status = await service.failureStatus(identifier.value, failureRuleOf(options));
	return {
		output: 0,
		json: { ...base, failures: status.failures, failuresLeft: status.failuresLeft, ended: status.ended, lockedUntil: status.lockedUntil?.toISOString() ?? null },
	};
}

/**
 * The administrator path of the failure rule (docs/otp-rate-limiting.md): read an identifier's count of
 * consecutive failed checks, or reset it after support has confirmed who the person is. Run it from a
 * workflow only administrators can start (a manual trigger, or a form behind n8n's login).
 */
export class OtpLockoutAdmin implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OTP Lockout Admin',
		name: 'otpLockoutAdmin',
		icon: 'file:otp.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "reset" ? "reset failures" : "get failure status"}}',
		description: 'See or reset the failed-check count of an identifier (OTP codes and TOTP), e.g. after it reached the failure ceiling',
		defaults: { name: 'OTP Lockout Admin' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: OTP_CREDENTIAL, required: true, testedBy: 'otpStoreApiTest' }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Get Failure Status', value: 'getStatus', description: 'Failures so far, whether a lockout runs or verification has ended', action: 'Get the failure status of an identifier' },
					{ name: 'Reset Failures', value: 'reset', description: 'Forget the failures and any lockout: verification works again', action: 'Reset the failures of an identifier' },
				],
				default: 'getStatus',
			},
			{
				displayName: 'Identifier',
				name: 'identifier',
				type: 'string',
				default: '',
				required: true,
				placeholder: '+16505550123',
				description: 'The identifier as OTP Generate, OTP Verify or TOTP were given it (same Default Country and Identifier Type)',
			},
			{
				displayName:
					'Only administrators should be able to run this: a reset gives an attacker who guessed wrong 20 times a fresh budget. Reset only after you confirmed who the person is.',
				name: 'adminNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				// Status reports failures left against the ceiling the OTP nodes use.
				options: [...identifierOptions, ...failureRuleOptions.filter((o) => o.name === 'failureCeiling')],
			},
		],
	};

	methods = { credentialTest: { otpStoreApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems(this, {
			outputs: 1,
			setup: otpServiceOf,
			item: adminItem,
			unknownError: OTP_UNKNOWN_ERROR,
		});
	}
}

