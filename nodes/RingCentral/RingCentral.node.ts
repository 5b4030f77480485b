import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { a2pBatchFields, a2pBatchOperations } from './descriptions/a2pBatch';
import { getA2pBatch, sendA2pBatch } from './actions/a2pBatch';
import { phoneNumberFields, phoneNumberOperations } from './descriptions/phoneNumber';
import { smsFields, smsOperations } from './descriptions/sms';
import { getStatus } from './actions/getStatus';
import { listPhoneNumbers } from './actions/listPhoneNumbers';
import { sendSms } from './actions/sendSms';
import { errorJson, nodeError } from './errors';
import { ringCentralJwtApiTest } from './methods/credentialTest';
import { getA2pSenders, getSmsSenders } from './methods/loadOptions';
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
					{ name: 'High-Volume SMS (A2P)', value: 'a2pBatch' },
				],
				default: 'sms',
			},
			smsOperations,
			phoneNumberOperations,
			a2pBatchOperations,
			...smsFields,
			...phoneNumberFields,
			...a2pBatchFields,
		],
	};

	methods = {
		loadOptions: { getSmsSenders, getA2pSenders },
		credentialTest: { ringCentralJwtApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		const continueOnFail = this.continueOnFail();
		const client = await clientFor(this);

		// A batch is one request for all items: its per-recipient results carry their own pairing.
		if (this.getNodeParameter('resource', 0) === 'a2pBatch' && this.getNodeParameter('operation', 0) === 'send') {
			try {
				return [await sendA2pBatch.call(this, client)];
			} catch (error) {
				if (!continueOnFail) throw nodeError(this, error, 0);
				return [items.map((_, i) => ({ json: errorJson(error) as IDataObject, pairedItem: { item: i } }))];
			}
		}

		for (let i = 0; i < items.length; i++) {
			try {
				const resource = this.getNodeParameter('resource', i) as string;
				const operation = this.getNodeParameter('operation', i) as string;
				if (resource === 'sms' && operation === 'send') output.push(...(await sendSms.call(this, client, i, continueOnFail)));
				else if (resource === 'sms' && operation === 'getStatus') output.push(...(await getStatus.call(this, client, i)));
				else if (resource === 'a2pBatch' && operation === 'get') output.push(...(await getA2pBatch.call(this, client, i)));
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
