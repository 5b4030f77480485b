import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { phoneNumberFields, phoneNumberOperations } from './descriptions/phoneNumber';
import { smsFields, smsOperations } from './descriptions/sms';
import { getStatus } from './actions/getStatus';
import { listPhoneNumbers } from './actions/listPhoneNumbers';
import { sendSms } from './actions/sendSms';
import { errorJson, nodeError } from './errors';
import { ringCentralJwtApiTest } from './methods/credentialTest';
import { getSmsSenders } from './methods/loadOptions';
import { CREDENTIAL_TYPE, clientFor } from './transport';

export class RingCentral implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RingCentral',
		name: 'ringCentral',
		icon: 'file:ringcentral.svg',
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send SMS from your RingCentral numbers, check delivery and list numbers',
		defaults: { name: 'RingCentral' },
		usableAsTool: true,
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: CREDENTIAL_TYPE, required: true, testedBy: 'ringCentralJwtApiTest' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'SMS', value: 'sms' },
					{ name: 'Phone Number', value: 'phoneNumber' },
				],
				default: 'sms',
			},
			smsOperations,
			phoneNumberOperations,
			...smsFields,
			...phoneNumberFields,
		],
	};

	methods = {
		loadOptions: { getSmsSenders },
		credentialTest: { ringCentralJwtApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		const continueOnFail = this.continueOnFail();
		const client = await clientFor(this);

		for (let i = 0; i < items.length; i++) {
			try {
				const resource = this.getNodeParameter('resource', i) as string;
				const operation = this.getNodeParameter('operation', i) as string;
				if (resource === 'sms' && operation === 'send') output.push(...(await sendSms.call(this, client, i, continueOnFail)));
				else if (resource === 'sms' && operation === 'getStatus') output.push(...(await getStatus.call(this, client, i)));
				else if (resource === 'phoneNumber' && operation === 'list') output.push(...(await listPhoneNumbers.call(this, client, i)));
				else throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
			} catch (error) {
				if (continueOnFail) {
					output.push({ json: errorJson(error) as IDataObject, pairedItem: { item: i } });
					continue;
				}
				throw nodeError(this, error, i);
			}
		}
		return [output];
	}
}
