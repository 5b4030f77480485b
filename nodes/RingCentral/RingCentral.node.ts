import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import type { RingCentralClient } from '../../lib/ringcentral';
import { inputError } from '../shared/errors';
import { authenticationProperty, ringCentralCredentials } from '../shared/ringcentral/authentication';
import { clientFor } from '../shared/ringcentral/client';
import { ringCentralJwtApiTest } from '../shared/ringcentral/credentialTest';
import { getA2pSenders, getSmsSenders } from '../shared/ringcentral/senders';
import { runItems, type Routed } from '../shared/runner';
import { getA2pBatch, sendA2pBatch } from './actions/a2pBatch';
import { getStatus } from './actions/getStatus';
import { listPhoneNumbers } from './actions/listPhoneNumbers';
import { sendSms } from './actions/sendSms';
import { addOptOut, checkOptOut, removeOptOut } from './actions/optOut';
import { commitCallLogSync, getCallLogRecord, getManyCallLog, syncCallLog } from './actions/callLog';
import { getCallQueueMembers, getCallQueues, getManyCallQueues } from './actions/callQueue';
import { a2pBatchFields, a2pBatchOperations } from './descriptions/a2pBatch';
import { callLogFields, callLogOperations } from './descriptions/callLog';
import { callQueueFields, callQueueOperations } from './descriptions/callQueue';
import { optOutFields, optOutOperations } from './descriptions/optOut';
import { phoneNumberFields, phoneNumberOperations } from './descriptions/phoneNumber';
import { smsFields, smsOperations } from './descriptions/sms';

type ItemAction = (ctx: IExecuteFunctions, client: RingCentralClient, itemIndex: number) => Promise<Routed[]>;
type BatchAction = (ctx: IExecuteFunctions, client: RingCentralClient) => Promise<Routed[]>;

interface Operation {
	item?: ItemAction;
	batch?: BatchAction;
	/** Set for operations that send: n8n's Retry On Fail would send again to recipients already served. */
	sends?: string;
}

const OPERATIONS: Record<string, Operation> = {
	'sms.send': { item: sendSms, sends: 'a retry would text again the recipients that already got this message.' },
	'sms.getStatus': { item: getStatus },
	'phoneNumber.list': { item: listPhoneNumbers },
	'a2pBatch.send': { batch: sendA2pBatch, sends: 'a retry would send the whole batch again.' },
	'a2pBatch.get': { item: getA2pBatch },
	'callLog.getAll': { item: getManyCallLog },
	'callLog.get': { item: getCallLogRecord },
	// Once per execution: one window and one sync position, whatever the number of input items.
	'callLog.sync': { batch: syncCallLog },
	'callLog.commitSync': { batch: async (ctx) => await commitCallLogSync(ctx) },
	'callQueue.getAll': { item: getManyCallQueues },
	'callQueue.getMembers': { item: getCallQueueMembers },
	'optOut.add': { item: addOptOut },
	'optOut.check': { item: checkOptOut },
	'optOut.remove': { item: removeOptOut },
};

function operationOf(ctx: IExecuteFunctions): Operation {
	// Resource and operation take no expressions: item 0 decides for all items.
	const resource = String(ctx.getNodeParameter('resource', 0));
	const operation = String(ctx.getNodeParameter('operation', 0));
	const found = OPERATIONS[`${resource}.${operation}`];
	if (!found) throw inputError(`The operation "${operation}" of "${resource}" is not supported.`, 'operation');
	return found;
}

export class RingCentral implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'RingCentral',
		name: 'ringCentral',
		icon: 'file:ringcentral.svg',
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Send SMS from your RingCentral numbers, check delivery, list numbers, and read the call log and call queues',
		defaults: { name: 'RingCentral' },
		usableAsTool: true,
		inputs: ['main'],
		outputs: ['main'],
		credentials: ringCentralCredentials,
		properties: [
			authenticationProperty,

			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Call Log', value: 'callLog' },
					{ name: 'Call Queue', value: 'callQueue' },
					{ name: 'High-Volume SMS (A2P)', value: 'a2pBatch' },
					{ name: 'Opt-Out', value: 'optOut' },
					{ name: 'Phone Number', value: 'phoneNumber' },
					{ name: 'SMS', value: 'sms' },
				],
				default: 'sms',
			},
			smsOperations,
			phoneNumberOperations,
			a2pBatchOperations,
			callLogOperations,
			callQueueOperations,
			optOutOperations,
			...smsFields,
			...phoneNumberFields,
			...a2pBatchFields,
			...callLogFields,
			...callQueueFields,
			...optOutFields,
		],
	};

	methods = {
		loadOptions: { getSmsSenders, getA2pSenders, getCallQueues },
		credentialTest: { ringCentralJwtApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// Read once; an unknown operation fails every item in set-up, inside the runner.
		const operation = readOperation(this);
		return await runItems<{ operation: Operation; client: RingCentralClient }>(this, {
			outputs: 1,
			setup: async (ctx) => {
				if (operation instanceof Error) throw operation;
				return { operation, client: await clientFor(ctx) };
			},
			notRetryable: () => (operation instanceof Error ? undefined : operation.sends),
			unknownError: { reason: 'error' },
			...(!(operation instanceof Error) && operation.batch
				? { batch: async (ctx, s) => await (s.operation.batch as BatchAction)(ctx, s.client) }
				: { item: async (ctx, s, i) => await (s.operation.item as ItemAction)(ctx, s.client, i) }),
		});
	}
}

function readOperation(ctx: IExecuteFunctions): Operation | Error {
	try {
		return operationOf(ctx);
	} catch (error) {
		return error instanceof Error ? error : new Error(String(error));
	}
}
