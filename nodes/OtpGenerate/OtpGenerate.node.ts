import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { getSmsSenders } from '../RingCentral/methods/loadOptions';
import { generateProperties, SEND } from './description';
import { generateItem } from './generate';
import { OTP_CREDENTIAL, asNodeError, otpServiceOf, otpStoreApiTest } from './shared';
import { ringCentralJwtApiTest } from '../RingCentral/methods/credentialTest';

/**
 * Two outputs: Success (code issued) and Limited (send limit, cooldown, exhausted code or locked
 * identifier) so a workflow can answer "too many requests" (HTTP 429, a gateway's `error`) without
 * treating it as a failure. Real failures (bad input, RingCentral refused the SMS) fail the item.
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
		outputNames: ['Success', 'Limited'],
		credentials: [
			{ name: OTP_CREDENTIAL, required: true, testedBy: 'otpStoreApiTest' },
			{ name: 'ringCentralJwtApi', required: true, testedBy: 'ringCentralJwtApiTest', displayOptions: { show: { delivery: [SEND] } } },
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
		const items = this.getInputData();
		const success: INodeExecutionData[] = [];
		const limited: INodeExecutionData[] = [];
		const service = await otpServiceOf(this);
		for (let i = 0; i < items.length; i++) {
			try {
				const result = await generateItem.call(this, service, i);
				(result.output === 'success' ? success : limited).push({ json: result.json, pairedItem: { item: i } });
			} catch (error) {
				const failure = asNodeError(this, error, i);
				if (this.continueOnFail()) {
					const reason = (failure as { context?: { reason?: unknown } }).context?.reason;
					success.push({
						json: { error: failure.message, ...(typeof reason === 'string' ? { reason } : {}) } as IDataObject,
						error: failure,
						pairedItem: { item: i },
					});
					continue;
				}
				throw failure;
			}
		}
		return [success, limited];
	}
}
