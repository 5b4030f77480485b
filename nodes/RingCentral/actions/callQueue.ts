import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { RingCentralApiError, listCallQueueMembers, listCallQueues, type RingCentralClient } from '../../../lib/ringcentral';
import { inputError } from '../../shared/errors';
import { clientFor } from '../../shared/ringcentral/client';
import type { Routed } from '../../shared/runner';

function limitOf(ctx: IExecuteFunctions, i: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', i, false) === true) return undefined;
	const limit = Number(ctx.getNodeParameter('limit', i, 50));
	if (!Number.isInteger(limit) || limit < 1) throw inputError('Limit must be a whole number of at least 1.', 'limit');
	return limit;
}

export async function getManyCallQueues(ctx: IExecuteFunctions, client: RingCentralClient, i: number): Promise<Routed[]> {
	const queues = await listCallQueues(client.session, { limit: limitOf(ctx, i), perPage: 100 });
	return queues.map((q) => ({ output: 0, json: q as IDataObject }));
}

export async function getCallQueueMembers(ctx: IExecuteFunctions, client: RingCentralClient, i: number): Promise<Routed[]> {
	const queueId = String(ctx.getNodeParameter('queueId', i, '') ?? '').trim();
	if (!/^\d{1,20}$/.test(queueId)) throw inputError(`Call Queue "${queueId.slice(0, 40)}" is not a call queue ID (digits only).`, 'queueId');
	const members = await listCallQueueMembers(client.session, queueId, { limit: limitOf(ctx, i), perPage: 100 });
	return members.map((m) => ({ output: 0, json: { queueId, ...(m as IDataObject) } }));
}

/** The Call Queue dropdown. */
export async function getCallQueues(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const client = await clientFor(this);
		const queues = await listCallQueues(client.session, { timeoutMs: 15000 });
		return queues.map((q) => ({ name: `${q.name ?? q.id}${q.extensionNumber ? ` (ext. ${q.extensionNumber})` : ''}`, value: String(q.id) }));
	} catch (error) {
		throw new NodeOperationError(this.getNode(), error instanceof RingCentralApiError ? error.message : 'Could not load the call queues');
	}
}
