import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { OTP_CREDENTIAL, OTP_UNKNOWN_ERROR, otpStoreApiTest, storeAndPepperOf } from '../shared/otp';
import { runItems } from '../shared/runner';
import { createSecretItem, operationOf, verifyItem } from './actions';
import { enrolItem } from './enrolment';
import { totpProperties } from './description';

export { APPROVED, DENIED } from './actions';

/**
 * Authenticator apps, the factor NIST prefers to SMS. Create Secret needs no credential; Verify Code
 * uses the OTP Store to refuse a time step that was already accepted and to count failures.
 * Two outputs: Denied first (reason: wrong, replayed, too_many_attempts, malformed), then Approved /
 * Created, which Verify Code and Create Secret use for their results.
 */
export class Totp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TOTP',
		name: 'totp',
		icon: 'file:totp.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{ {verify: "verify code", enrol: "enrol", createSecret: "create secret"}[$parameter["operation"]] }}',
		description: 'Authenticator-app codes: create a secret with QR code, verify codes once',
		defaults: { name: 'TOTP' },
		inputs: ['main'],
		// Two outputs on purpose (Denied, Approved / Created); the rule assumes every node has one.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: ['main', 'main'],
		outputNames: ['Denied', 'Approved / Created'],
		credentials: [{ name: OTP_CREDENTIAL, required: true, testedBy: 'otpStoreApiTest', displayOptions: { show: { operation: ['verify', 'enrol'] } } }],
		properties: totpProperties,
	};

	methods = { credentialTest: { otpStoreApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		if (operationOf(this) === 'createSecret') {
			return await runItems(this, { outputs: 2, item: async (ctx, _setup, i) => await createSecretItem(ctx, i) });
		}
		if (operationOf(this) === 'enrol') {
			return await runItems(this, { outputs: 2, setup: storeAndPepperOf, item: enrolItem, unknownError: OTP_UNKNOWN_ERROR });
		}
		return await runItems(this, {
			outputs: 2,
			setup: storeAndPepperOf,
			item: verifyItem,
			notRetryable: () => 'a retry would check the same code again (a time step is accepted once, and failures are counted).',
			unknownError: OTP_UNKNOWN_ERROR,
			failureFields: { approved: false },
		});
	}
}
