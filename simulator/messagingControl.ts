/**
 * Control endpoints for two-way messaging (test and demo only, under `/_sim/`):
 *   POST /_sim/inbound {from, to, text, attachments?: [{contentType, fileName?, base64}], wait?: true}
 *        a person texts one of the extension's numbers; delivered to its subscriptions
 *   GET  /_sim/subscriptions                  every live subscription, with its status and failures
 *   POST /_sim/subscriptions/config           patch the handshake/delivery/blacklist settings
 *   POST /_sim/subscriptions/{id}/expire      make it expire now (it is gone, as on the platform)
 *   POST /_sim/subscriptions/{id}/blacklist   blacklist it now
 *   POST /_sim/subscriptions/{id}/redeliver   send its last event again, same uuid (a platform retry)
 *   GET  /_sim/deliveries, GET /_sim/handshakes   what was sent and how it went (with timings)
 *   GET  /_sim/conversations?number=+1…       one number's threads, for the phone page
 *   GET  /_sim/phone                          the phone page
 */
import type { ServerResponse } from 'node:http';
import { apiError, HttpError, parseJson, send, type RequestCtx } from './http';
import { messagingOf, type MessagingConfig } from './messaging';
import { PHONE_PAGE } from './phone';
import type { SimState } from './state';

const E164 = /^\+[1-9]\d{6,14}$/;

function inboundInput(raw: Record<string, unknown>) {
	const from = raw.from;
	const to = raw.to;
	if (typeof from !== 'string' || !E164.test(from)) throw apiError(400, 'SIM-400', '"from" must be an E.164 number');
	if (typeof to !== 'string' || !E164.test(to)) throw apiError(400, 'SIM-400', '"to" must be an E.164 number of a simulated extension');
	const text = raw.text === undefined ? '' : raw.text;
	if (typeof text !== 'string' || text.length > 1000) throw apiError(400, 'SIM-400', '"text" must be a string of at most 1000 characters');
	const list = raw.attachments === undefined ? [] : raw.attachments;
	if (!Array.isArray(list) || list.length > 10) throw apiError(400, 'SIM-400', '"attachments" must be an array of at most 10');
	const attachments = list.map((a: unknown) => {
		const item = (a ?? {}) as { contentType?: unknown; fileName?: unknown; base64?: unknown };
		if (typeof item.contentType !== 'string' || typeof item.base64 !== 'string') throw apiError(400, 'SIM-400', 'each attachment needs contentType and base64');
		return { contentType: item.contentType, fileName: typeof item.fileName === 'string' ? item.fileName : undefined, data: Buffer.from(item.base64, 'base64') };
	});
	if (!text && attachments.length === 0) throw apiError(400, 'SIM-400', 'an inbound message needs text or an attachment');
	return { from, to, text, attachments };
}

/** The threads of one of our numbers: every other party, messages oldest first. */
function conversations(state: SimState, number: string) {
	const messaging = messagingOf(state);
	const threads = new Map<string, Array<Record<string, unknown>>>();
	const add = (party: string, entry: Record<string, unknown>) => threads.set(party, [...(threads.get(party) ?? []), entry]);
	for (const m of state.messages) {
		if (m.from !== number || m.batchId) continue;
		const view = state.messageView(m);
		const files = messaging.outboundAttachments.get(m.id) ?? [];
		for (const to of m.to) add(to, { id: view.id, direction: 'Outbound', text: m.text, time: view.time, status: view.status, attachments: files.map((f) => f.fileName) });
	}
	for (const m of messaging.inbound) {
		if (m.to !== number) continue;
		const deliveries = messaging.deliveries.filter((d) => d.messageId === String(m.id));
		const delivery = deliveries.length === 0 ? 'not delivered (no active subscription)' : deliveries.some((d) => d.ok) ? 'delivered to webhook' : 'webhook delivery failed';
		add(m.from, { id: String(m.id), direction: 'Inbound', text: m.text, time: new Date(m.createdAt).toISOString(), status: delivery, attachments: m.attachments.map((a) => a.fileName) });
	}
	return [...threads.entries()].map(([party, messages]) => ({ party, messages: messages.sort((a, b) => String(a.time).localeCompare(String(b.time))) }));
}

function numbers(state: SimState) {
	return state.seed.users.flatMap((u) =>
		u.phoneNumbers.filter((n) => n.features.includes('SmsSender') || n.features.includes('A2PSmsSender')).map((n) => ({ number: n.phoneNumber, extension: u.extensionNumber, name: u.name })),
	);
}

/** Answers a messaging control request and returns true, or false when the path is not one of these. */
export async function handleMessagingControl(state: SimState, ctx: RequestCtx, res: ServerResponse): Promise<boolean> {
	const messaging = messagingOf(state);
	const path = ctx.path.replace(/\/+$/, '');
	const reply = (status: number, body: unknown) => {
		send(res, status, body);
		return true;
	};
	try {
		if (ctx.method === 'GET' && path === '/_sim/phone') {
			res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
			res.end(PHONE_PAGE);
			return true;
		}
		if (ctx.method === 'POST' && path === '/_sim/inbound') {
			const input = inboundInput(parseJson(ctx.rawBody));
			const { message, deliveries } = messaging.receive(input);
			const body = { id: String(message.id), from: message.from, to: message.to, creationTime: new Date(message.createdAt).toISOString() };
			if (ctx.query.get('wait') === 'true' || ctx.query.get('wait') === '1') return reply(200, { ...body, deliveries: await deliveries });
			void deliveries;
			return reply(200, body);
		}
		if (ctx.method === 'GET' && path === '/_sim/subscriptions') {
			return reply(
				200,
				messaging.live().map((s) => ({
					id: s.id,
					extensionId: s.extensionId,
					address: s.address,
					status: s.status,
					eventFilters: s.eventFilters,
					expirationTime: new Date(s.expiresAt).toISOString(),
					createdAt: new Date(s.createdAt).toISOString(),
					consecutiveFailures: s.consecutiveFailures,
					hasVerificationToken: !!s.verificationToken,
					blacklistedData: s.blacklistedData,
				})),
			);
		}
		if (ctx.method === 'POST' && path === '/_sim/subscriptions/config') {
			messaging.config = { ...messaging.config, ...(parseJson(ctx.rawBody) as Partial<MessagingConfig>) };
			return reply(200, messaging.config);
		}
		const action = /^\/_sim\/subscriptions\/([^/]+)\/(expire|blacklist|redeliver)$/.exec(path);
		if (ctx.method === 'POST' && action) {
			const sub = messaging.live().find((s) => s.id === action[1]);
			if (!sub) throw apiError(404, 'SIM-404', 'No such live subscription');
			if (action[2] === 'expire') {
				sub.expiresAt = Date.now();
				messaging.live();
				return reply(200, { expired: sub.id });
			}
			if (action[2] === 'blacklist') {
				sub.status = 'Blacklisted';
				sub.blacklistedData = { reason: 'Blacklisted through the control API', blacklistedAt: new Date().toISOString() };
				return reply(200, { blacklisted: sub.id });
			}
			if (!sub.lastEvent) throw apiError(409, 'SIM-409', 'This subscription has delivered nothing yet');
			const record = await messaging.deliver(sub, String(sub.lastEvent.event), {}, sub.lastEvent);
			return reply(200, record);
		}
		if (ctx.method === 'GET' && path === '/_sim/deliveries') return reply(200, messaging.deliveries);
		if (ctx.method === 'GET' && path === '/_sim/handshakes') return reply(200, messaging.handshakes);
		if (ctx.method === 'GET' && path === '/_sim/numbers') return reply(200, numbers(state));
		if (ctx.method === 'GET' && path === '/_sim/conversations') {
			const number = ctx.query.get('number') ?? '';
			if (!E164.test(number)) throw apiError(400, 'SIM-400', 'number must be E.164');
			return reply(200, conversations(state, number));
		}
		return false;
	} catch (error) {
		if (!(error instanceof HttpError)) throw error;
		return reply(error.status, error.body);
	}
}
