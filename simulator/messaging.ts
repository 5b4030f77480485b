/**
 * Two-way messaging in the simulator: webhook subscriptions (create with the validation handshake, renew,
 * update, delete, list, expiry, blacklisting), inbound SMS/MMS injected through `/_sim/inbound` and
 * delivered to the subscriptions, the message-store list, attachment content and Send MMS.
 *
 * What the reference fixes and this follows: the handshake POST carries `Validation-Token`, and the answer
 * must be a 200 within 3 s echoing it in the `Validation-Token` header with the whole response at most
 * 1,024 bytes, else the create fails with SUB-525; deliveries carry the subscription's verificationToken in
 * a header (`Verification-Token` by default; `Validation-Token` with `verificationHeader`); a subscription
 * whose deliveries keep failing or answering slowly becomes `Blacklisted` for good.
 * What the reference leaves open and is a choice here: a failed event is not retried (the message stays in
 * the store), and `blacklistAfterFailures` consecutive failed events blacklist (default 3).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { ServerResponse } from 'node:http';
import { authenticateBearer } from './auth';
import { admit } from './admit';
import { apiError, HttpError, invalidParameter, parseJson, RAW_NUMBER, send, type RequestCtx } from './http';
import { boundaryOf, parseMultipart } from './multipart';
import type { Session } from './sessions';
import { checkSender, checkText, E164, messageRecord, storeMessage } from './sms';
import type { SimState } from './state';
import type { RateGroup, SimUser, StoredMessage } from './types';

export interface MessagingConfig {
	handshakeTimeoutMs: number;
	maxHandshakeBytes: number;
	/** A delivery answered later than this counts as failed (slow). */
	deliveryTimeoutMs: number;
	blacklistAfterFailures: number;
	verificationHeader: 'Verification-Token' | 'Validation-Token';
	/** How often outbound status changes are looked for (message-store event filter). */
	statusPollMs: number;
}

const DEFAULT_CONFIG: MessagingConfig = {
	handshakeTimeoutMs: 3000,
	maxHandshakeBytes: 1024,
	deliveryTimeoutMs: 3000,
	blacklistAfterFailures: 3,
	verificationHeader: 'Verification-Token',
	statusPollMs: 250,
};

export interface SimAttachment {
	id: number;
	contentType: string;
	fileName: string;
	data: Buffer;
}

export interface InboundMessage {
	id: number;
	extensionId: string;
	from: string;
	to: string;
	text: string;
	createdAt: number;
	conversationId: string;
	attachments: SimAttachment[];
}

export interface SimSubscription {
	id: string;
	clientId: string;
	extensionId: string;
	eventFilters: string[];
	address: string;
	verificationToken?: string;
	expiresIn: number;
	createdAt: number;
	expiresAt: number;
	status: 'Active' | 'Blacklisted';
	blacklistedData?: { reason: string; blacklistedAt: string };
	consecutiveFailures: number;
	lastEvent?: Record<string, unknown>;
}

export interface DeliveryRecord {
	uuid: string;
	subscriptionId: string;
	messageId?: string;
	event: string;
	at: string;
	ok: boolean;
	status?: number;
	ms: number;
	error?: string;
}

export interface HandshakeRecord {
	address: string;
	at: string;
	ok: boolean;
	ms: number;
	bytes?: number;
	reason?: string;
}

const SUBSCRIPTION_ROOT = '/restapi/v1.0/subscription';
const DEFAULT_LIFETIME = 604_800;
const MAX_LIFETIME = 315_360_000;
const INSTANT_SMS = /^\/restapi\/v1\.0\/account\/(~|\d+)\/extension\/(~|\d+)\/message-store\/instant\?type=SMS$/;
const MESSAGE_STORE = /^\/restapi\/v1\.0\/account\/(~|\d+)\/extension\/(~|\d+)\/message-store$/;
export const MMS_MAX_BYTES = 1_500_000;
export const MMS_MAX_ATTACHMENTS = 10;

export class Messaging {
	config: MessagingConfig = { ...DEFAULT_CONFIG };
	readonly subscriptions = new Map<string, SimSubscription>();
	inbound: InboundMessage[] = [];
	readonly outboundAttachments = new Map<number, SimAttachment[]>();
	deliveries: DeliveryRecord[] = [];
	handshakes: HandshakeRecord[] = [];
	/** Outbound message id → the status last announced, for message-store events. */
	private readonly announced = new Map<number, string>();
	private timer?: NodeJS.Timeout;
	private nextAttachmentId = 7_000_000_001;

	constructor(private readonly state: SimState) {}

	reset(): void {
		this.config = { ...DEFAULT_CONFIG };
		this.subscriptions.clear();
		this.inbound = [];
		this.outboundAttachments.clear();
		this.deliveries = [];
		this.handshakes = [];
		this.announced.clear();
	}

	close(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = undefined;
	}

	attachmentId(): number {
		return this.nextAttachmentId++;
	}

	/** Live subscriptions; expired ones are gone, as on the platform. */
	live(): SimSubscription[] {
		const now = Date.now();
		for (const [id, sub] of this.subscriptions) if (sub.expiresAt <= now) this.subscriptions.delete(id);
		return [...this.subscriptions.values()];
	}

	find(id: string, session: Session): SimSubscription {
		const sub = this.live().find((s) => s.id === id && s.clientId === session.clientId && s.extensionId === session.extensionId);
		if (!sub) throw apiError(404, 'CMN-102', 'Resource for parameter [subscriptionId] is not found', { parameterName: 'subscriptionId' });
		return sub;
	}

	/** Starts looking for outbound status changes once a subscription wants them. */
	watchStatuses(): void {
		if (this.timer) return;
		this.timer = setInterval(() => this.announceStatusChanges(), this.config.statusPollMs);
		this.timer.unref();
	}

	private announceStatusChanges(): void {
		const watchers = this.live().filter((s) => s.status === 'Active' && s.eventFilters.some((f) => MESSAGE_STORE.test(f)));
		if (watchers.length === 0) return;
		const changed = new Map<string, number[]>();
		for (const message of this.state.messages) {
			if (message.batchId) continue;
			const status = this.state.messageView(message).status;
			if (this.announced.get(message.id) === status) continue;
			const first = !this.announced.has(message.id);
			this.announced.set(message.id, status);
			if (first && status === 'Queued') continue;
			changed.set(message.extensionId, [...(changed.get(message.extensionId) ?? []), message.id]);
		}
		for (const [extensionId, ids] of changed) {
			for (const sub of watchers.filter((s) => s.extensionId === extensionId)) {
				const event = `/restapi/v1.0/account/${this.state.seed.accountId}/extension/${extensionId}/message-store`;
				void this.deliver(sub, event, {
					accountId: Number(this.state.seed.accountId),
					extensionId: Number(extensionId),
					lastUpdated: new Date().toISOString(),
					changes: [{ type: 'SMS', newCount: 0, updatedCount: ids.length, updatedMessageIds: ids }],
				});
			}
		}
	}

	/** Sends one event; counts failures and blacklists after too many in a row. */
	async deliver(sub: SimSubscription, event: string, body: Record<string, unknown>, reuse?: Record<string, unknown>, messageId?: string): Promise<DeliveryRecord> {
		const envelope = reuse ?? {
			uuid: randomUUID(),
			event,
			timestamp: new Date().toISOString(),
			subscriptionId: sub.id,
			ownerId: sub.extensionId,
			body,
		};
		sub.lastEvent = envelope;
		const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8', 'User-Agent': 'RingCentral-Simulator-WebHook' };
		if (sub.verificationToken) headers[this.config.verificationHeader] = sub.verificationToken;
		const started = Date.now();
		const result = await post(sub.address, headers, JSON.stringify(envelope), this.config.deliveryTimeoutMs, 64 * 1024);
		const ms = Date.now() - started;
		const ok = !result.error && result.status !== undefined && result.status >= 200 && result.status < 300;
		const record: DeliveryRecord = {
			uuid: String(envelope.uuid),
			subscriptionId: sub.id,
			messageId,
			event: String(envelope.event),
			at: new Date(started).toISOString(),
			ok,
			status: result.status,
			ms,
			...(result.error ? { error: result.error } : {}),
		};
		this.deliveries.push(record);
		if (this.deliveries.length > 5000) this.deliveries.splice(0, this.deliveries.length - 5000);
		if (ok) sub.consecutiveFailures = 0;
		else if (++sub.consecutiveFailures >= this.config.blacklistAfterFailures && sub.status === 'Active') {
			sub.status = 'Blacklisted';
			sub.blacklistedData = { reason: result.error === 'timeout' ? 'Slow response' : 'Failed delivery', blacklistedAt: new Date().toISOString() };
		}
		return record;
	}

	/** Stores an inbound message and delivers it to every matching active subscription of its extension. */
	receive(input: { from: string; to: string; text: string; attachments?: Array<{ contentType: string; fileName?: string; data: Buffer }> }): {
		message: InboundMessage;
		deliveries: Promise<DeliveryRecord[]>;
	} {
		const owner = this.state.seed.users.find((u) => u.phoneNumbers.some((n) => n.phoneNumber === input.to));
		if (!owner) throw apiError(400, 'SIM-400', `${input.to} is not a number of any simulated extension`);
		const message: InboundMessage = {
			id: this.state.newMessageId(),
			extensionId: owner.extensionId,
			from: input.from,
			to: input.to,
			text: input.text,
			createdAt: Date.now(),
			conversationId: conversationFor(input.to, input.from),
			attachments: (input.attachments ?? []).map((a, i) => ({
				id: this.attachmentId(),
				contentType: a.contentType,
				fileName: a.fileName ?? `attachment-${i + 1}`,
				data: a.data,
			})),
		};
		this.inbound.push(message);
		const event = `/restapi/v1.0/account/${this.state.seed.accountId}/extension/${owner.extensionId}/message-store/instant?type=SMS`;
		const targets = this.live().filter((s) => s.status === 'Active' && s.extensionId === owner.extensionId && s.eventFilters.some((f) => INSTANT_SMS.test(f)));
		const deliveries = Promise.all(
			targets.map((sub) => this.deliver(sub, event, { ...inboundRecord(this.state, 'http://simulator.invalid', message, sub.address), eventType: 'Create' }, undefined, String(message.id))),
		);
		return { message, deliveries };
	}
}

const registry = new WeakMap<SimState, Messaging>();

export function messagingOf(state: SimState): Messaging {
	let messaging = registry.get(state);
	if (!messaging) {
		messaging = new Messaging(state);
		registry.set(state, messaging);
		const created = messaging;
		state.resetHooks.push(() => created.reset());
	}
	return messaging;
}

/** One conversation per pair of numbers; an int64-sized id as RingCentral's. */
function conversationFor(a: string, b: string): string {
	const digits = [a, b].sort().join('').replace(/\D/g, '');
	let hash = 1469598103934665603n;
	for (const ch of digits) hash = (hash * 1099511628211n + BigInt(ch.charCodeAt(0))) % 8_000_000_000_000_000_000n;
	return (1_000_000_000_000_000_000n + hash).toString();
}

function baseOf(state: SimState, baseUrl: string, extensionId: string): string {
	return `${baseUrl}/restapi/v1.0/account/${state.seed.accountId}/extension/${extensionId}`;
}

export function inboundRecord(state: SimState, baseUrl: string, message: InboundMessage, _address?: string): Record<string, unknown> {
	const base = baseOf(state, baseUrl, message.extensionId);
	const iso = new Date(message.createdAt).toISOString();
	const attachments = [
		{ id: message.id, uri: `${base}/message-store/${message.id}/content/${message.id}`, type: 'Text', contentType: 'text/plain' },
		...message.attachments.map((a) => ({
			id: a.id,
			uri: `${base}/message-store/${message.id}/content/${a.id}`,
			type: 'MmsAttachment',
			contentType: a.contentType,
			fileName: a.fileName,
			size: a.data.length,
		})),
	];
	return {
		uri: `${base}/message-store/${message.id}`,
		id: message.id,
		extensionId: message.extensionId,
		to: [{ phoneNumber: message.to, name: state.user(message.extensionId)?.name, location: 'United States' }],
		from: { phoneNumber: message.from, location: 'United States' },
		type: 'SMS',
		creationTime: iso,
		readStatus: 'Unread',
		priority: 'Normal',
		attachments,
		direction: 'Inbound',
		availability: 'Alive',
		subject: message.text,
		messageStatus: 'Received',
		conversationId: `${RAW_NUMBER}${message.conversationId}`,
		conversation: { id: message.conversationId, uri: `${baseUrl}/restapi/v1.0/conversation/${message.conversationId}` },
		lastModifiedTime: iso,
	};
}

function subscriptionRecord(baseUrl: string, sub: SimSubscription): Record<string, unknown> {
	const record: Record<string, unknown> = {
		uri: `${baseUrl}${SUBSCRIPTION_ROOT}/${sub.id}`,
		id: sub.id,
		creationTime: new Date(sub.createdAt).toISOString(),
		status: sub.status,
		eventFilters: [...sub.eventFilters],
		expirationTime: new Date(sub.expiresAt).toISOString(),
		expiresIn: Math.max(0, Math.round((sub.expiresAt - Date.now()) / 1000)),
		deliveryMode: { transportType: 'WebHook', address: sub.address, encryption: false },
	};
	if (sub.blacklistedData) record.blacklistedData = { ...sub.blacklistedData };
	return record;
}

interface PostResult {
	status?: number;
	headers?: http.IncomingHttpHeaders;
	bytes?: number;
	error?: string;
}

/** POSTs and measures the whole answer (status line, headers, body) in bytes, with a hard deadline. */
function post(address: string, headers: Record<string, string>, body: string, timeoutMs: number, maxBytes: number): Promise<PostResult> {
	return new Promise((resolve) => {
		let url: URL;
		try {
			url = new URL(address);
		} catch {
			resolve({ error: 'invalid address' });
			return;
		}
		const lib = url.protocol === 'https:' ? https : http;
		let settled = false;
		const finish = (result: PostResult) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			resolve(result);
		};
		const req = lib.request(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
			let bytes = Buffer.byteLength(`HTTP/${res.httpVersion} ${res.statusCode} ${res.statusMessage ?? ''}\r\n`);
			for (let i = 0; i < res.rawHeaders.length; i += 2) bytes += Buffer.byteLength(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`);
			bytes += 2;
			res.on('data', (chunk: Buffer) => {
				bytes += chunk.length;
				if (bytes > maxBytes) res.destroy();
			});
			res.on('close', () => finish({ status: res.statusCode, headers: res.headers, bytes }));
			res.on('error', () => finish({ status: res.statusCode, headers: res.headers, bytes }));
		});
		const timer = setTimeout(() => {
			req.destroy();
			finish({ error: 'timeout' });
		}, timeoutMs);
		req.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code ?? 'connection failed' }));
		req.end(body);
	});
}

/** The validation handshake, measured. */
async function handshake(messaging: Messaging, address: string): Promise<HandshakeRecord> {
	const token = randomUUID();
	const started = Date.now();
	const { handshakeTimeoutMs, maxHandshakeBytes } = messaging.config;
	const result = await post(address, { 'Validation-Token': token, 'User-Agent': 'RingCentral-Simulator-WebHook' }, '', handshakeTimeoutMs, maxHandshakeBytes + 1);
	const ms = Date.now() - started;
	let reason: string | undefined;
	if (result.error) reason = result.error === 'timeout' ? `no answer within ${handshakeTimeoutMs} ms` : `connection failed (${result.error})`;
	else if (result.status !== 200) reason = `HTTP ${result.status} instead of 200`;
	else if (result.headers?.['validation-token'] !== token) reason = 'the Validation-Token header was not echoed';
	else if ((result.bytes ?? 0) > maxHandshakeBytes) reason = `the response was over ${maxHandshakeBytes} bytes`;
	const record: HandshakeRecord = { address, at: new Date(started).toISOString(), ok: !reason, ms, bytes: result.bytes, ...(reason ? { reason } : {}) };
	messaging.handshakes.push(record);
	return record;
}

function validFilters(raw: unknown): string[] {
	if (!Array.isArray(raw) || raw.length === 0 || raw.some((f) => typeof f !== 'string' || f.length === 0)) {
		throw invalidParameter('CMN-101', 'Parameter [eventFilters] value is invalid.', 'eventFilters');
	}
	for (const filter of raw as string[]) {
		if (!INSTANT_SMS.test(filter) && !MESSAGE_STORE.test(filter)) {
			throw invalidParameter('CMN-101', `Event filter [${filter.slice(0, 200)}] is not supported by the simulator.`, 'eventFilters', filter.slice(0, 200));
		}
	}
	return raw as string[];
}

function lifetime(raw: unknown): number {
	if (raw === undefined) return DEFAULT_LIFETIME;
	if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) throw invalidParameter('CMN-101', 'Parameter [expiresIn] value is invalid.', 'expiresIn');
	return Math.min(raw, MAX_LIFETIME);
}

async function createSubscription(state: SimState, ctx: RequestCtx, session: Session): Promise<{ status: number; body: unknown }> {
	const messaging = messagingOf(state);
	const body = parseJson(ctx.rawBody);
	const eventFilters = validFilters(body.eventFilters);
	const mode = body.deliveryMode as Record<string, unknown> | undefined;
	if (!mode || typeof mode !== 'object') throw invalidParameter('CMN-101', 'Parameter [deliveryMode] value is invalid.', 'deliveryMode');
	if (mode.transportType !== 'WebHook') throw invalidParameter('CMN-101', 'Parameter [deliveryMode.transportType] value is invalid.', 'deliveryMode.transportType');
	if (typeof mode.address !== 'string' || !/^https?:\/\/[^\s]+$/i.test(mode.address)) {
		throw invalidParameter('CMN-101', 'Parameter [deliveryMode.address] value is invalid.', 'deliveryMode.address');
	}
	if (mode.verificationToken !== undefined && (typeof mode.verificationToken !== 'string' || mode.verificationToken.length > 256)) {
		throw invalidParameter('CMN-101', 'Parameter [deliveryMode.verificationToken] value is invalid.', 'deliveryMode.verificationToken');
	}
	// `expiresIn` counts only at the top level; inside deliveryMode it is ignored (the 7-day default applies).
	const expiresIn = lifetime(body.expiresIn);
	const check = await handshake(messaging, mode.address);
	if (!check.ok) throw apiError(400, 'SUB-525', 'WebHook server response is invalid', { headers: {} });
	const now = Date.now();
	const sub: SimSubscription = {
		id: randomUUID(),
		clientId: session.clientId,
		extensionId: session.extensionId,
		eventFilters: eventFilters.map((f) => f.replace(/\/account\/~/, `/account/${state.seed.accountId}`).replace(/\/extension\/~/, `/extension/${session.extensionId}`)),
		address: mode.address,
		verificationToken: mode.verificationToken as string | undefined,
		expiresIn,
		createdAt: now,
		expiresAt: now + expiresIn * 1000,
		status: 'Active',
		consecutiveFailures: 0,
	};
	messaging.subscriptions.set(sub.id, sub);
	if (eventFilters.some((f) => MESSAGE_STORE.test(f))) messaging.watchStatuses();
	return { status: 200, body: subscriptionRecord(ctx.baseUrl, sub) };
}

function renew(sub: SimSubscription): void {
	if (sub.status === 'Blacklisted') {
		// The reference only says a blacklisted subscription stays so; the code here is the simulator's.
		throw apiError(400, 'SUB-528', 'Subscription is blacklisted; delete it and create a new one');
	}
	sub.expiresAt = Date.now() + sub.expiresIn * 1000;
}

async function subscriptionRoute(state: SimState, ctx: RequestCtx, session: Session): Promise<{ status: number; body?: unknown; group: RateGroup } | undefined> {
	const messaging = messagingOf(state);
	const rest = ctx.path.slice(SUBSCRIPTION_ROOT.length).replace(/\/+$/, '');
	if (rest === '' && ctx.method === 'POST') return { ...(await createSubscription(state, ctx, session)), group: 'medium' };
	if (rest === '' && ctx.method === 'GET') {
		const records = messaging.live().filter((s) => s.clientId === session.clientId && s.extensionId === session.extensionId);
		return { status: 200, body: { uri: `${ctx.baseUrl}${SUBSCRIPTION_ROOT}`, records: records.map((s) => subscriptionRecord(ctx.baseUrl, s)) }, group: 'light' };
	}
	const one = /^\/([^/]+)(\/renew)?$/.exec(rest);
	if (!one) return undefined;
	const sub = messaging.find(one[1], session);
	if (one[2] && ctx.method === 'POST') {
		renew(sub);
		return { status: 200, body: subscriptionRecord(ctx.baseUrl, sub), group: 'light' };
	}
	if (one[2]) return undefined;
	switch (ctx.method) {
		case 'GET':
			return { status: 200, body: subscriptionRecord(ctx.baseUrl, sub), group: 'light' };
		case 'PUT': {
			const body = parseJson(ctx.rawBody);
			sub.eventFilters = validFilters(body.eventFilters);
			if (body.expiresIn !== undefined) sub.expiresIn = lifetime(body.expiresIn);
			renew(sub);
			return { status: 200, body: subscriptionRecord(ctx.baseUrl, sub), group: 'medium' };
		}
		case 'DELETE':
			messaging.subscriptions.delete(sub.id);
			return { status: 204, group: 'medium' };
		default:
			return undefined;
	}
}

function dateParam(ctx: RequestCtx, name: string, fallback: number): number {
	const raw = ctx.query.get(name);
	if (raw === null || raw === '') return fallback;
	const value = Date.parse(raw);
	if (!Number.isFinite(value)) throw invalidParameter('CMN-101', `Parameter [${name}] value is invalid.`, name, raw);
	return value;
}

function intParam(ctx: RequestCtx, name: string, fallback: number, max: number): number {
	const raw = ctx.query.get(name);
	if (raw === null || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1) throw invalidParameter('CMN-101', `Parameter [${name}] value is invalid.`, name, raw);
	return Math.min(value, max);
}

/** The message-store list: newest first, filtered by date, direction and type, paged. */
function listMessageStore(state: SimState, ctx: RequestCtx, session: Session): unknown {
	requireReadMessages(session);
	const messaging = messagingOf(state);
	const now = Date.now();
	const dateTo = dateParam(ctx, 'dateTo', now);
	const dateFrom = dateParam(ctx, 'dateFrom', dateTo - 24 * 3600_000);
	const directions = ctx.query.getAll('direction').filter(Boolean);
	const types = ctx.query.getAll('messageType').filter(Boolean);
	const page = intParam(ctx, 'page', 1, 100_000);
	const perPage = intParam(ctx, 'perPage', 100, 1000);
	const records: Array<{ at: number; id: number; record: Record<string, unknown> }> = [];
	if (types.length === 0 || types.includes('SMS')) {
		for (const m of messaging.inbound) {
			if (m.extensionId === session.extensionId) records.push({ at: m.createdAt, id: m.id, record: inboundRecord(state, ctx.baseUrl, m) });
		}
		for (const m of state.messages) {
			if (m.extensionId === session.extensionId && !m.batchId) records.push({ at: m.createdAt, id: m.id, record: outboundRecord(state, ctx, m) });
		}
	}
	const filtered = records
		.filter((r) => r.at >= dateFrom && r.at <= dateTo)
		.filter((r) => directions.length === 0 || directions.includes(String(r.record.direction)))
		.sort((a, b) => b.at - a.at || b.id - a.id);
	const totalPages = Math.max(1, Math.ceil(filtered.length / perPage));
	const start = (page - 1) * perPage;
	const slice = filtered.slice(start, start + perPage).map((r) => r.record);
	const link = (p: number) => {
		const q = new URLSearchParams(ctx.query);
		q.set('page', String(p));
		q.set('perPage', String(perPage));
		return { uri: `${ctx.baseUrl}${ctx.path}?${q.toString()}` };
	};
	const navigation: Record<string, { uri: string }> = { firstPage: link(1), lastPage: link(totalPages) };
	if (page < totalPages) navigation.nextPage = link(page + 1);
	if (page > 1) navigation.previousPage = link(page - 1);
	const paging: Record<string, number> = { page, perPage, totalPages, totalElements: filtered.length };
	if (slice.length) {
		paging.pageStart = start;
		paging.pageEnd = start + slice.length - 1;
	}
	return { uri: link(page).uri, records: slice, paging, navigation };
}

function outboundRecord(state: SimState, ctx: RequestCtx, message: StoredMessage): Record<string, unknown> {
	const record = messageRecord(state, ctx, message);
	const attachments = messagingOf(state).outboundAttachments.get(message.id);
	if (attachments) {
		const base = baseOf(state, ctx.baseUrl, message.extensionId);
		record.attachments = [
			...(record.attachments as unknown[]),
			...attachments.map((a) => ({ id: a.id, uri: `${base}/message-store/${message.id}/content/${a.id}`, type: 'MmsAttachment', contentType: a.contentType, fileName: a.fileName, size: a.data.length })),
		];
	}
	return record;
}

function requireReadMessages(session: Session): void {
	if (!session.scope.includes('ReadMessages')) {
		throw apiError(403, 'CMN-408', 'In order to call this API endpoint, application needs to have [ReadMessages] permission');
	}
}

function attachmentContent(state: SimState, session: Session, messageId: string, attachmentId: string): { data: Buffer; contentType: string } {
	requireReadMessages(session);
	const messaging = messagingOf(state);
	const notFound = () => apiError(404, 'CMN-102', 'Resource for parameter [attachmentId] is not found', { parameterName: 'attachmentId' });
	const inbound = messaging.inbound.find((m) => String(m.id) === messageId && m.extensionId === session.extensionId);
	if (inbound) {
		if (attachmentId === messageId) return { data: Buffer.from(inbound.text, 'utf8'), contentType: 'text/plain' };
		const found = inbound.attachments.find((a) => String(a.id) === attachmentId);
		if (found) return { data: found.data, contentType: found.contentType };
		throw notFound();
	}
	const outbound = /^\d{1,16}$/.test(messageId) ? state.findMessage(Number(messageId)) : undefined;
	if (!outbound || outbound.extensionId !== session.extensionId) throw notFound();
	if (attachmentId === messageId) return { data: Buffer.from(outbound.text, 'utf8'), contentType: 'text/plain' };
	const found = messaging.outboundAttachments.get(outbound.id)?.find((a) => String(a.id) === attachmentId);
	if (!found) throw notFound();
	return { data: found.data, contentType: found.contentType };
}

/** Send MMS: multipart (form-data or mixed), the JSON part first, then the files. */
function sendMms(state: SimState, ctx: RequestCtx, session: Session, user: SimUser): unknown {
	if (!session.scope.includes('SMS')) throw apiError(403, 'CMN-408', 'In order to call this API endpoint, application needs to have [SMS] permission');
	const boundary = boundaryOf(ctx.header('content-type'));
	if (!boundary || !ctx.rawBytes) throw apiError(415, 'CMN-415', 'Content-Type must be multipart/form-data or multipart/mixed');
	const parts = parseMultipart(ctx.rawBytes, boundary);
	if (!parts || parts.length === 0) throw invalidParameter('CMN-101', 'The multipart body is malformed.', 'body');
	const [first, ...files] = parts;
	if (first.contentType !== 'application/json') throw invalidParameter('CMN-101', 'The first part must be the JSON request.', 'body');
	const body = parseJson(first.data.toString('utf8'));
	const fromField = body.from as { phoneNumber?: unknown } | undefined;
	const from = checkSender(user, fromField && typeof fromField === 'object' ? fromField.phoneNumber : undefined, 'SmsSender');
	const number = user.phoneNumbers.find((n) => n.phoneNumber === from);
	// Codes for the MMS refusals below are not in the reference; the wording says what is wrong.
	if (number?.type === 'TollFree') throw invalidParameter('MSG-385', 'Toll-free numbers cannot send MMS', 'from', from);
	if (!number?.features.includes('MmsSender')) throw invalidParameter('MSG-384', 'Phone number is not enabled for MMS', 'from', from);
	const toField = body.to;
	if (!Array.isArray(toField) || toField.length === 0) throw invalidParameter('CMN-101', 'Parameter [to] value is invalid.', 'to');
	const to = toField.map((entry: unknown) => {
		const phoneNumber = entry && typeof entry === 'object' ? (entry as { phoneNumber?: unknown }).phoneNumber : undefined;
		if (typeof phoneNumber !== 'string' || !E164.test(phoneNumber)) throw invalidParameter('CMN-101', 'Parameter [to] value is invalid.', 'to');
		return phoneNumber;
	});
	const text = body.text === undefined || body.text === '' ? '' : checkText(state, body.text);
	if (files.length === 0) throw invalidParameter('CMN-101', 'Parameter [attachments] is required.', 'attachments');
	if (files.length > MMS_MAX_ATTACHMENTS) throw invalidParameter('MSG-386', `At most ${MMS_MAX_ATTACHMENTS} attachments per MMS`, 'attachments');
	const total = files.reduce((sum, f) => sum + f.data.length, 0);
	if (total > MMS_MAX_BYTES) throw invalidParameter('MSG-387', 'The attachments exceed 1.5 MB in total', 'attachments');
	const message = storeMessage(state, session, from, [...new Set(to)], text);
	const messaging = messagingOf(state);
	messaging.outboundAttachments.set(
		message.id,
		files.map((f, i) => ({ id: messaging.attachmentId(), contentType: f.contentType, fileName: f.fileName ?? `attachment-${i + 1}`, data: Buffer.from(f.data) })),
	);
	const record = outboundRecord(state, ctx, message);
	record.messageStatus = 'Queued';
	return record;
}

const MESSAGE_STORE_PATH = /^\/restapi\/v1\.0\/account\/([^/]+)\/extension\/([^/]+)(\/message-store(?:\/(\d{1,20})(?:\/content\/(\d{1,20}))?)?|\/mms)$/;

/**
 * The REST endpoints of this module. Answers the request itself and returns true, or returns false when
 * the path is not one of them (the main router takes it).
 */
export async function routeMessaging(state: SimState, ctx: RequestCtx, res: ServerResponse, requestId: string): Promise<boolean> {
	const isSubscription = ctx.path === SUBSCRIPTION_ROOT || ctx.path.startsWith(`${SUBSCRIPTION_ROOT}/`);
	const store = MESSAGE_STORE_PATH.exec(ctx.path);
	if (!isSubscription && !store) return false;
	try {
		const { session, user } = authenticateBearer(state, ctx);
		if (isSubscription) {
			// Count before the (slow) handshake, as the platform does.
			const headers = admit(state, ctx, session, ctx.method === 'GET' || ctx.path.endsWith('/renew') ? 'light' : 'medium');
			const reply = await subscriptionRoute(state, ctx, session);
			if (!reply) throw apiError(404, 'AGW-404', 'Resource not found');
			send(res, reply.status, reply.body, { RCRequestId: requestId, ...headers });
			return true;
		}
		const [, account, extension, tail, messageId, attachmentId] = store as RegExpExecArray;
		const own = (account === '~' || account === state.seed.accountId) && (extension === '~' || extension === session.extensionId);
		if (!own) throw apiError(404, 'AGW-404', 'Resource not found');
		if (tail === '/mms' && ctx.method === 'POST') {
			const headers = admit(state, ctx, session, 'medium');
			try {
				send(res, 200, sendMms(state, ctx, session, user), { RCRequestId: requestId, ...headers });
			} catch (error) {
				state.stats.smsRejected++;
				throw error;
			}
			return true;
		}
		if (ctx.method !== 'GET') return false;
		if (attachmentId) {
			const headers = admit(state, ctx, session, 'medium');
			const content = attachmentContent(state, session, messageId, attachmentId);
			res.writeHead(200, { 'Content-Type': content.contentType, 'Content-Length': content.data.length, RCRequestId: requestId, ...headers });
			res.end(content.data);
			return true;
		}
		if (messageId) {
			const inbound = messagingOf(state).inbound.find((m) => String(m.id) === messageId && m.extensionId === session.extensionId);
			if (!inbound) return false;
			const headers = admit(state, ctx, session, 'light');
			requireReadMessages(session);
			send(res, 200, inboundRecord(state, ctx.baseUrl, inbound), { RCRequestId: requestId, ...headers });
			return true;
		}
		const headers = admit(state, ctx, session, 'light');
		send(res, 200, listMessageStore(state, ctx, session), { RCRequestId: requestId, ...headers });
		return true;
	} catch (error) {
		if (!(error instanceof HttpError)) throw error;
		send(res, error.status, error.body, { RCRequestId: requestId, ...error.headers });
		return true;
	}
}
