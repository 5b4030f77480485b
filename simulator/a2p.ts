/** High-volume (A2P) SMS: batches with per-recipient rejections, batch status and the batch's messages. */
import { requirePermission } from './account';
import { apiError, invalidParameter, parseJson, type Reply, type RequestCtx } from './http';
import type { Session } from './sessions';
import { checkSender, E164, storeMessage } from './sms';
import { recipientStatus, type A2pBatch, type SimState } from './state';
import type { SimUser } from './types';

export const A2P_PATH = '/restapi/v1.0/account/~/a2p-sms';

function batchView(state: SimState, batch: A2pBatch, justCreated = false): Record<string, unknown> {
	const now = Date.now();
	const messages = batch.messageIds.map((id) => state.findMessage(id)).filter((m) => m !== undefined);
	const statuses = messages.map((m) => recipientStatus(m, m.to[0], now));
	const processed = statuses.filter((s) => s !== 'Queued').length;
	const final = statuses.filter((s) => s === 'Delivered' || s === 'DeliveryFailed' || s === 'SendingFailed').length;
	// Reference lists Processing | Sent | Completed without timing; we move on when every message has.
	let status = 'Processing';
	if (!justCreated && processed === messages.length) status = final === messages.length ? 'Completed' : 'Sent';
	const changes = messages.flatMap((m) => [m.sentAt, m.deliveredAt]).filter((t) => t >= 0 && t <= now);
	return {
		id: batch.id,
		from: batch.from,
		batchSize: batch.batchSize,
		processedCount: justCreated ? 0 : processed,
		status,
		creationTime: new Date(batch.createdAt).toISOString(),
		lastModifiedTime: new Date(justCreated ? batch.createdAt : Math.max(batch.createdAt, ...changes)).toISOString(),
		rejected: batch.rejected,
		cost: 0,
	};
}

export function handleCreateBatch(state: SimState, ctx: RequestCtx, session: Session, user: SimUser): Reply {
	requirePermission(session, 'A2PSMS');
	const body = parseJson(ctx.rawBody);
	const from = checkSender(user, body.from, 'A2PSmsSender');
	if (!Array.isArray(body.messages) || body.messages.length === 0) {
		throw invalidParameter('CMN-101', 'Parameter [messages] value is invalid.', 'messages');
	}
	const defaultText = typeof body.text === 'string' ? body.text : undefined;
	const batch: A2pBatch = {
		id: state.newBatchId(),
		clientId: session.clientId,
		extensionId: session.extensionId,
		from,
		createdAt: Date.now(),
		messageIds: [],
		rejected: [],
		batchSize: body.messages.length,
	};
	for (const [index, entry] of (body.messages as unknown[]).entries()) {
		const item = (entry && typeof entry === 'object' ? entry : {}) as { to?: unknown; text?: unknown };
		const to = Array.isArray(item.to) ? item.to.map(String) : [];
		const text = typeof item.text === 'string' ? item.text : defaultText;
		// A2P messages go to exactly one recipient each; anything else is rejected per message.
		let problem: [string, string] | undefined;
		if (to.length !== 1 || !E164.test(to[0])) problem = ['CMN-101', 'Parameter [to] value is invalid'];
		else if (!text) problem = ['CMN-101', 'Parameter [text] value is invalid'];
		else if (text.length > state.config.maxTextLength) problem = ['MSG-338', 'Message size limit exceeded'];
		if (problem) batch.rejected.push({ index, to, errorCode: problem[0], description: problem[1] });
		else batch.messageIds.push(storeMessage(state, session, from, to, text as string, batch.id).id);
	}
	state.batches.set(batch.id, batch);
	state.stats.a2pBatches++;
	return { status: 200, body: batchView(state, batch, true) };
}

function findBatch(state: SimState, session: Session, id: string): A2pBatch {
	const batch = state.batches.get(id);
	if (!batch || batch.extensionId !== session.extensionId) {
		throw apiError(404, 'CMN-102', 'Resource for parameter [batchId] is not found', { parameterName: 'batchId' });
	}
	return batch;
}

export function handleGetBatch(state: SimState, session: Session, id: string): Reply {
	requirePermission(session, 'A2PSMS');
	return { status: 200, body: batchView(state, findBatch(state, session, id)) };
}

/** `GET …/a2p-sms/messages?batchId=`: token paging (pageToken = offset here), perPage default 1000. */
export function handleListA2pMessages(state: SimState, ctx: RequestCtx, session: Session): Reply {
	requirePermission(session, 'A2PSMS');
	const batchId = ctx.query.get('batchId');
	const ids = batchId ? new Set(findBatch(state, session, batchId).messageIds) : undefined;
	const perPage = Math.min(1000, Math.max(1, Number(ctx.query.get('perPage')) || 1000));
	const offset = Math.max(0, Number(ctx.query.get('pageToken')) || 0);
	const now = Date.now();
	const all = state.messages.filter((m) => m.batchId && m.extensionId === session.extensionId && (!ids || ids.has(m.id)));
	const records = all.slice(offset, offset + perPage).map((m) => {
		const status = recipientStatus(m, m.to[0], now);
		const failure = m.failures[m.to[0]];
		return {
			id: String(m.id),
			from: m.from,
			to: [...m.to],
			text: m.text,
			batchId: m.batchId,
			direction: 'Outbound',
			messageStatus: status,
			// Rough GSM-7 estimate; the real count depends on the encoding.
			segmentCount: m.text.length <= 160 ? 1 : Math.ceil(m.text.length / 153),
			cost: 0,
			creationTime: new Date(m.createdAt).toISOString(),
			lastModifiedTime: new Date(Math.max(m.createdAt, ...[m.sentAt, m.deliveredAt].filter((t) => t >= 0 && t <= now))).toISOString(),
			...(failure && (status === 'DeliveryFailed' || status === 'SendingFailed') ? { errorCode: failure.errorCode } : {}),
		};
	});
	const paging: Record<string, unknown> = { perPage, firstPageToken: '0' };
	if (offset > 0) paging.pageToken = String(offset);
	if (offset + perPage < all.length) paging.nextPageToken = String(offset + perPage);
	return { status: 200, body: { records, paging } };
}
