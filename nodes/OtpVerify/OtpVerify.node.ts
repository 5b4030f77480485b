import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { asNodeError } from '../OtpGenerate/shared';
import { OTP_CREDENTIAL, configError, otpServiceOf, otpStoreApiTest, readSubject } from '../OtpGenerate/shared';
import { verifyProperties } from './description';

interface VerifyOptions {
	binding?: string;
	digits?: number;
	defaultCountry?: string;
	identifierType?: 'auto' | 'phone' | 'text';
	failureCeiling?: number;
	lockoutMinutes?: number;
	userMessage?: string;
}

/**
 * Approved / Denied. Anything a caller sent — an unknown number, a 1 MB "code", `12345é` — ends on
 * Denied with a reason, never as an error; only a broken store (e.g. Redis down) fails the item, and
 * then nothing is approved.
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
		outputNames: ['Approved', 'Denied'],
		credentials: [{ name: OTP_CREDENTIAL, required: true, testedBy: 'otpStoreApiTest' }],
		properties: verifyProperties,
	};

	methods = { credentialTest: { otpStoreApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const approved: INodeExecutionData[] = [];
		const denied: INodeExecutionData[] = [];
		const service = await otpServiceOf(this);
		for (let i = 0; i < items.length; i++) {
			try {
				const options = this.getNodeParameter('options', i, {}) as VerifyOptions;
				const userMessage = options.userMessage ?? 'The code is invalid or has expired.';
				const { identifier, purpose } = readSubject(this, i, options);
				const code = this.getNodeParameter('code', i, '') as unknown;
				const masked = identifier.ok ? identifier.masked : null;
				if (!identifier.ok || purpose === undefined) {
					// Caller input: a denial, not an error. `detail` is for the author only.
					const detail = !identifier.ok ? `identifier: ${identifier.reason}` : 'purpose is not valid';
					denied.push({ json: { approved: false, reason: 'malformed', detail, identifier: masked, purpose: purpose ?? null, userMessage }, pairedItem: { item: i } });
					continue;
				}
				let outcome;
				try {
					outcome = await service.verify({ identifier: identifier.value, purpose, binding: options.binding ?? '' }, code, {
						failureCeiling: options.failureCeiling,
						lockoutMs: options.lockoutMinutes === undefined ? undefined : options.lockoutMinutes * 60_000,
						digits: options.digits ? options.digits : undefined,
					});
				} catch (error) {
					throw configError(this, error, i);
				}
				if (outcome.approved) {
					approved.push({ json: { approved: true, verificationId: outcome.verificationId, identifier: masked, purpose }, pairedItem: { item: i } });
				} else {
					const json: IDataObject = { approved: false, reason: outcome.reason, identifier: masked, purpose, userMessage };
					if (outcome.attemptsLeft !== undefined) json.attemptsLeft = outcome.attemptsLeft;
					denied.push({ json, pairedItem: { item: i } });
				}
			} catch (error) {
				const failure = asNodeError(this, error, i);
				if (this.continueOnFail()) {
					// On Denied, never Approved: a workflow that ignores `error` must still not let anyone in.
					// With "continue (using error output)" n8n moves it to the error output (it carries `error`).
					denied.push({ json: { approved: false, reason: 'error', error: failure.message }, error: failure, pairedItem: { item: i } });
					continue;
				}
				throw failure;
			}
		}
		return [approved, denied];
	}
}
