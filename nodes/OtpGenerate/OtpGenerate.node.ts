import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { OTP_CREDENTIAL, OTP_UNKNOWN_ERROR, otpServiceOf, otpStoreApiTest } from '../shared/otp';
import { RINGCENTRAL_CREDENTIAL } from '../shared/ringcentral/client';
import { ringCentralJwtApiTest } from '../shared/ringcentral/credentialTest';
import { getSmsSenders } from '../shared/ringcentral/senders';
import { runItems } from '../shared/runner';
import { generateProperties, SEND } from './description';
import { generateItem } from './generate';

/**
 * Two outputs: Not Issued first (send limit, cooldown, exhausted code or locked identifier, each with
 * `reason: rate_limited`; with On Error → Continue also every failure, with its reason), then Issued. A
 * workflow can answer "too many requests" (HTTP 429, a gateway's `error`) from `reason`, and a node that
 * fails can never look like a code that was sent.
 */
export class OtpGenerate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'OTP Generate',
		name: 'otpGenerate',
		icon: 'file:otp.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["delivery"] === "send" ? "send by SMS" : "output message"}}',
		description: 'Create a one-time code for an identifier and text it through RingCentral, or hand the message to a later node',
		defaults: { name: 'OTP Generate' },
		usableAsTool: true,
		inputs: ['main'],
		// Two outputs on purpose (like n8n's If node); the rule assumes every node has one.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: ['main', 'main'],
		outputNames: ['Not Issued', 'Issued'],
		credentials: [
			{ name: OTP_CREDENTIAL, required: true, testedBy: 'otpStoreApiTest' },
			{ name: RINGCENTRAL_CREDENTIAL, required: true, testedBy: 'ringCentralJwtApiTest', displayOptions: { show: { delivery: [SEND] } } },
		],
		hints: [
			{
				message: 'Codes under 6 digits are below what NIST SP 800-63B and OWASP ASVS ask for.',
				type: 'warning',
				location: 'ndv',
				whenToDisplay: 'always',
				displayCondition: '={{ !!$parameter["options"] && $parameter["options"].digits !== undefined && $parameter["options"].digits < 6 }}',
			},
			{
				message: 'SMS is a restricted authenticator under NIST SP 800-63B: offer an authenticator app (the TOTP node) where you can.',
				type: 'info',
				location: 'outputPane',
				whenToDisplay: 'afterExecution',
			},
		],
		properties: generateProperties,
	};

	methods = {
		loadOptions: { getSmsSenders },
		credentialTest: { otpStoreApiTest, ringCentralJwtApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems(this, {
			outputs: 2,
			setup: otpServiceOf,
			item: generateItem,
			notRetryable: () => 'a retry would issue and text another code.',
			unknownError: OTP_UNKNOWN_ERROR,
		});
	}
}
