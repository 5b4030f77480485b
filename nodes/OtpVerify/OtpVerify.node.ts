import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import type { OtpService } from '../../lib/otp';
import { OTP_CREDENTIAL, OTP_UNKNOWN_ERROR, failureRuleOf, lockoutFields, otpServiceOf, otpStoreApiTest, readSubject, type FailureRuleInput } from '../shared/otp';
import { runItems, type Routed } from '../shared/runner';
import { verifyProperties } from './description';

interface VerifyOptions extends FailureRuleInput {
	binding?: string;
	digits?: number;
	defaultCountry?: string;
	identifierType?: 'auto' | 'phone' | 'text';
	userMessage?: string;
}

/** Output 0 is Denied, output 1 Approved: whatever n8n does with a node that fails, it never lands on Approved. */
export const DENIED = 0;
export const APPROVED = 1;

const DEFAULT_USER_MESSAGE = 'The code is invalid or has expired.';

async function verifyItem(ctx: IExecuteFunctions, service: OtpService, i: number): Promise<Routed> {
	const options = ctx.getNodeParameter('options', i, {}) as VerifyOptions;
	const userMessage = options.userMessage ?? DEFAULT_USER_MESSAGE;
	const { identifier, purpose } = readSubject(ctx, i, options);
	const code = ctx.getNodeParameter('code', i, '') as unknown;
	const masked = identifier.ok ? identifier.masked : null;
	if (!identifier.ok || purpose === undefined) {
		// Caller input: a denial, not an error. `detail` is for the author only.
		const detail = !identifier.ok ? `identifier: ${identifier.reason}` : 'purpose is not valid';
		return { output: DENIED, json: { approved: false, reason: 'malformed', detail, identifier: masked, purpose: purpose ?? null, userMessage } };
	}
	const outcome = await service.verify({ identifier: identifier.value, purpose, binding: options.binding ?? '' }, code, {
		...failureRuleOf(options),
		digits: options.digits ? options.digits : undefined,
	});
	if (outcome.approved) {
		return { output: APPROVED, json: { approved: true, verificationId: outcome.verificationId, identifier: masked, purpose } };
	}
	const json: IDataObject = { approved: false, reason: outcome.reason, identifier: masked, purpose, userMessage, ...lockoutFields(outcome) };
	if (outcome.attemptsLeft !== undefined) json.attemptsLeft = outcome.attemptsLeft;
	return { output: DENIED, json };
}

/**
 * Denied / Approved. Anything a caller sent — an unknown number, a 1 MB "code", `12345é` — ends on
 * Denied with a reason, never as an error. A broken credential or store fails the item (On Error decides
 * how), and then nothing is approved.
 */
export class OtpVerify implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OTP Verify',
		name: 'otpVerify',
		icon: 'file:otp.svg',
		group: ['transform'],
		version: 1,
		description: 'Check a one-time code made by OTP Generate: Approved or Denied (with the reason)',
		defaults: { name: 'OTP Verify' },
		usableAsTool: true,
		inputs: ['main'],
		// Two outputs on purpose (like n8n's If node); the rule assumes every node has one.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: ['main', 'main'],
		outputNames: ['Denied', 'Approved'],
		credentials: [{ name: OTP_CREDENTIAL, required: true, testedBy: 'otpStoreApiTest' }],
		properties: verifyProperties,
	};

	methods = { credentialTest: { otpStoreApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems(this, {
			outputs: 2,
			setup: otpServiceOf,
			item: verifyItem,
			notRetryable: () => 'a retry would check the same code again (a code is used up by one check, and failures are counted).',
			unknownError: OTP_UNKNOWN_ERROR,
			failureFields: { approved: false },
		});
	}
}
