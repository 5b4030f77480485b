/**
 * Call log and call queues, as RingCentral's contract describes them:
 * - `GET /restapi/v1.0/account/~/call-log` (the whole account: app permission ReadCallLog and a user whose
 *   role grants FullCompanyCallLog, i.e. an admin) and `…/extension/~/call-log` (the user's own calls,
 *   ReadCallLog), both in the Heavy group; `…/call-log/{id}` reads one record.
 * - Filters `dateFrom`/`dateTo` (on `startTime`; default the last 24 hours), `type` and `direction`
 *   (repeated keys), `view` Simple | Detailed (Detailed adds `legs[]` and `lastModifiedTime`),
 *   `withRecording`; paging `page` ≥ 1 and `perPage` 1–1000 or `max` (a larger integer is clamped to 1000).
 *   Newest first, as the platform lists them.
 * - `GET …/call-queues` (Medium) and `…/call-queues/{groupId}/members` (Light), paged, ReadAccounts.
 *
 * Where the reference is silent, our choices: both date bounds are inclusive; several ids in one path
 * (the platform's 207 multi-status answer) are not simulated.
 */
import { apiError, invalidParameter, parseJson, type Reply, type RequestCtx } from './http';
import type { Session } from './sessions';
import type { SimState } from './state';
import type { SimUser } from './types';

export interface SimCallParty {
	phoneNumber?: string;
	extensionNumber?: string;
	name?: string;
	location?: string;
}

export interface SimCallRecord {
	id: string;
	sessionId: string;
	telephonySessionId: string;
	/** Owner extension (the account-wide log lists every extension's records). */
	extensionId: string;
	startTime: number;
	duration: number;
	type: 'Voice' | 'Fax';
	direction: 'Inbound' | 'Outbound';
	action: string;
	result: string;
	from: SimCallParty;
	to: SimCallParty;
	recording?: { id: string; type: 'Automatic' | 'OnDemand' };
	lastModifiedTime: number;
}

export interface SimCallQueue {
	id: string;
	extensionNumber: string;
	name: string;
	status: 'Enabled' | 'Disabled';
	members: Array<{ id: number; extensionNumber: string }>;
}

const DAY_MS = 24 * 3600 * 1000;
const RESULTS_INBOUND = ['Accepted', 'Missed', 'Voicemail', 'Accepted', 'Accepted'];
const RESULTS_OUTBOUND = ['Call connected', 'No Answer', 'Busy', 'Call connected'];

/** The call records and queues of the simulated account; sorted newest first lazily. */
export class CallLogStore {
	records: SimCallRecord[] = [];
	queues: SimCallQueue[] = [];
	private byId = new Map<string, SimCallRecord>();
	private sorted = true;
	private nextId = 1;

	reset(): void {
		this.records = [];
		this.byId.clear();
		this.queues = [];
		this.sorted = true;
		this.nextId = 1;
	}

	add(record: SimCallRecord): void {
		if (this.byId.has(record.id)) throw apiError(400, 'SIM-400', `Call record ${record.id} exists already`);
		this.records.push(record);
		this.byId.set(record.id, record);
		this.sorted = false;
	}

	get(id: string): SimCallRecord | undefined {
		return this.byId.get(id);
	}

	newest(): SimCallRecord[] {
		if (!this.sorted) {
			this.records.sort((a, b) => b.startTime - a.startTime || (a.id < b.id ? 1 : -1));
			this.sorted = true;
		}
		return this.records;
	}

	newId(): { id: string; sessionId: string } {
		const n = this.nextId++;
		return { id: `SIMcl${n.toString(36).toUpperCase().padStart(8, '0')}`, sessionId: String(70_000_000_000 + n) };
	}
}

const stores = new WeakMap<SimState, CallLogStore>();

/** The call log of a simulator; created with the default queues on first use. */
export function callLogOf(state: SimState): CallLogStore {
	let store = stores.get(state);
	if (!store) {
		store = new CallLogStore();
		seedQueues(state, store);
		stores.set(state, store);
	}
	return store;
}

/** Called by SimState.reset(): forget every record and restore the default queues. */
export function resetCallLog(state: SimState): void {
	const store = stores.get(state);
	if (!store) return;
	store.reset();
	seedQueues(state, store);
}

function seedQueues(state: SimState, store: CallLogStore): void {
	const members = state.seed.users.map((u) => ({ id: Number(u.extensionId), extensionNumber: u.extensionNumber }));
	store.queues = [
		{ id: '400100301', extensionNumber: '801', name: 'Support', status: 'Enabled', members },
		{ id: '400100302', extensionNumber: '802', name: 'Sales', status: 'Enabled', members: members.slice(0, 1) },
	];
}

// ---------------------------------------------------------------- seeding (control API)

export interface CallLogSeedRequest {
	/** How many records to create. */
	count?: number;
	/** Spread their start times evenly between these (ISO); default the last `days` days up to now. */
	from?: string;
	to?: string;
	days?: number;
	/** Owner extensions (ids), used in turn; default every user of the account. */
	extensionIds?: string[];
	/** Every n-th record has a recording (0 = none); default 7. */
	recordingEvery?: number;
	/** Records given in full (id and times may be left out). */
	records?: Array<Partial<Omit<SimCallRecord, 'startTime' | 'lastModifiedTime'>> & { startTime?: string | number }>;
}

function time(value: unknown, name: string): number {
	const ms = typeof value === 'number' ? value : Date.parse(String(value));
	if (!Number.isFinite(ms)) throw apiError(400, 'SIM-400', `${name} is not a date`);
	return ms;
}

/** `POST /_sim/call-log`: adds records; answers how many the log now holds and the ids added. */
export function seedCallLog(state: SimState, request: CallLogSeedRequest, now = Date.now()): { added: number; total: number; ids: string[] } {
	const store = callLogOf(state);
	const owners = request.extensionIds?.length ? request.extensionIds : state.seed.users.map((u) => u.extensionId);
	const ids: string[] = [];
	const make = (i: number, start: number, extra: Partial<SimCallRecord> = {}): SimCallRecord => {
		const { id, sessionId } = store.newId();
		const owner = state.user(extra.extensionId ?? owners[i % owners.length]);
		const own: SimCallParty = { phoneNumber: owner?.phoneNumbers[0]?.phoneNumber, extensionNumber: owner?.extensionNumber, name: owner?.name };
		const other: SimCallParty = { phoneNumber: `+1415555${String(1000 + (i % 9000)).padStart(4, '0')}`, location: 'San Francisco, CA' };
		const direction = i % 3 === 0 ? 'Outbound' : 'Inbound';
		const type = i % 23 === 0 ? 'Fax' : 'Voice';
		const results = direction === 'Inbound' ? RESULTS_INBOUND : RESULTS_OUTBOUND;
		const every = request.recordingEvery ?? 7;
		const duration = 5 + ((i * 37) % 900);
		return {
			id,
			sessionId,
			telephonySessionId: `s-sim${sessionId}`,
			extensionId: owner?.extensionId ?? owners[0],
			startTime: start,
			duration,
			type,
			direction,
			action: type === 'Fax' ? (direction === 'Inbound' ? 'Incoming Fax' : 'Outgoing Fax') : 'Phone Call',
			result: type === 'Fax' ? (direction === 'Inbound' ? 'Received' : 'Sent') : results[i % results.length],
			from: direction === 'Inbound' ? other : own,
			to: direction === 'Inbound' ? own : other,
			...(every > 0 && type === 'Voice' && i % every === 0 ? { recording: { id: `rec${sessionId}`, type: 'Automatic' as const } } : {}),
			lastModifiedTime: start + duration * 1000 + 30_000,
			...extra,
		};
	};
	const count = Math.max(0, Math.min(200_000, Math.floor(Number(request.count ?? 0)) || 0));
	if (count > 0) {
		const to = request.to ? time(request.to, 'to') : now;
		const from = request.from ? time(request.from, 'from') : to - Math.max(0.001, Number(request.days ?? 7)) * DAY_MS;
		if (from > to) throw apiError(400, 'SIM-400', 'from is after to');
		const step = count > 1 ? (to - from) / (count - 1) : 0;
		for (let i = 0; i < count; i++) {
			const record = make(i, Math.round(from + i * step));
			store.add(record);
			ids.push(record.id);
		}
	}
	for (const [i, given] of (request.records ?? []).entries()) {
		const { startTime, ...rest } = given;
		const start = startTime === undefined ? now : time(startTime, 'startTime');
		const record = make(i, start, rest as Partial<SimCallRecord>);
		if (given.id) record.id = given.id;
		store.add(record);
		ids.push(record.id);
	}
	return { added: ids.length, total: store.records.length, ids: ids.length <= 1000 ? ids : [] };
}

/** The control API's call-log endpoints; undefined when the path is not one of them. */
export function handleCallLogControl(state: SimState, ctx: RequestCtx): Reply | undefined {
	const route = `${ctx.method} ${ctx.path.replace(/\/+$/, '')}`;
	if (route === 'POST /_sim/call-log') return { status: 200, body: seedCallLog(state, parseJson(ctx.rawBody) as CallLogSeedRequest) };
	if (route === 'GET /_sim/call-log') {
		const store = callLogOf(state);
		return { status: 200, body: { total: store.records.length, ids: store.newest().map((r) => r.id) } };
	}
	if (route === 'DELETE /_sim/call-log') {
		resetCallLog(state);
		return { status: 200, body: { total: 0 } };
	}
	return undefined;
}

// ---------------------------------------------------------------- API

function requireScope(session: Session, permission: string): void {
	if (!session.scope.includes(permission)) {
		throw apiError(403, 'CMN-408', `In order to call this API endpoint, application needs to have [${permission}] permission`);
	}
}

/** The account-wide log: the app needs ReadCallLog and the user the FullCompanyCallLog permission (admin). */
function requireCompanyLog(session: Session, user: SimUser): void {
	requireScope(session, 'ReadCallLog');
	if (!user.companyCallLog) {
		throw apiError(403, 'CMN-408', 'In order to call this API endpoint, user needs to have [FullCompanyCallLog] permission for requested resource.');
	}
}

function dateParam(ctx: RequestCtx, name: string, fallback: number): number {
	const raw = ctx.query.get(name);
	if (raw === null || raw === '') return fallback;
	const ms = Date.parse(raw);
	if (!Number.isFinite(ms)) throw invalidParameter('CMN-101', `Parameter [${name}] value is invalid.`, name, raw);
	return ms;
}

function enumParams<T extends string>(ctx: RequestCtx, name: string, allowed: readonly T[]): T[] {
	const values = ctx.query.getAll(name).flatMap((v) => v.split(',')).filter(Boolean);
	for (const v of values) if (!allowed.includes(v as T)) throw invalidParameter('CMN-101', `Parameter [${name}] value is invalid.`, name, v);
	return values as T[];
}

function pageParams(ctx: RequestCtx, maxPerPage: number | undefined): { page: number; perPage: number } {
	const rawPage = ctx.query.get('page');
	const page = rawPage === null || rawPage === '' ? 1 : Number(rawPage);
	if (!Number.isInteger(page) || page < 1) throw invalidParameter('CMN-101', 'Parameter [page] value is invalid.', 'page', rawPage ?? '');
	const rawPer = ctx.query.get('perPage');
	let perPage = 100;
	if (rawPer !== null && rawPer !== '') {
		if (rawPer === 'max' && maxPerPage) perPage = maxPerPage;
		else {
			perPage = Number(rawPer);
			if (!Number.isInteger(perPage) || perPage < 1) throw invalidParameter('CMN-101', 'Parameter [perPage] value is invalid.', 'perPage', rawPer);
			// The contract: a larger integer is clamped, not refused.
			if (maxPerPage) perPage = Math.min(perPage, maxPerPage);
		}
	}
	return { page, perPage };
}

/** `{ uri, records, paging, navigation }` for one page of a list, links carrying the same query. */
function paged<T>(ctx: RequestCtx, all: T[], page: number, perPage: number): Record<string, unknown> {
	const totalPages = Math.max(1, Math.ceil(all.length / perPage));
	const start = (page - 1) * perPage;
	const records = all.slice(start, start + perPage);
	const link = (p: number) => {
		const q = new URLSearchParams(ctx.query);
		q.set('page', String(p));
		q.set('perPage', String(perPage));
		return { uri: `${ctx.baseUrl}${ctx.path}?${q.toString()}` };
	};
	const navigation: Record<string, { uri: string }> = { firstPage: link(1), lastPage: link(totalPages) };
	if (page < totalPages) navigation.nextPage = link(page + 1);
	if (page > 1) navigation.previousPage = link(Math.min(page - 1, totalPages));
	const paging: Record<string, number> = { page, totalPages, perPage, totalElements: all.length };
	if (records.length) {
		paging.pageStart = start;
		paging.pageEnd = start + records.length - 1;
	}
	return { uri: link(page).uri, records, paging, navigation };
}

function party(p: SimCallParty): Record<string, unknown> {
	return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined));
}

function view(state: SimState, ctx: RequestCtx, r: SimCallRecord, detailed: boolean): Record<string, unknown> {
	const base = `${ctx.baseUrl}/restapi/v1.0/account/${state.seed.accountId}`;
	const out: Record<string, unknown> = {
		uri: `${base}/extension/${r.extensionId}/call-log/${r.id}?view=${detailed ? 'Detailed' : 'Simple'}`,
		id: r.id,
		sessionId: r.sessionId,
		telephonySessionId: r.telephonySessionId,
		startTime: new Date(r.startTime).toISOString(),
		duration: r.duration,
		durationMs: r.duration * 1000,
		type: r.type,
		internalType: r.type === 'Fax' ? 'Fax' : 'LongDistance',
		direction: r.direction,
		action: r.action,
		result: r.result,
		to: party(r.to),
		from: party(r.from),
		extension: { uri: `${base}/extension/${r.extensionId}`, id: Number(r.extensionId) },
		transport: 'PSTN',
	};
	if (r.recording) {
		const uri = `${base}/recording/${r.recording.id}`;
		out.recording = { uri, id: r.recording.id, type: r.recording.type, contentUri: `${uri}/content` };
	}
	if (detailed) {
		out.lastModifiedTime = new Date(r.lastModifiedTime).toISOString();
		out.legs = [
			{
				startTime: out.startTime,
				duration: r.duration,
				durationMs: r.duration * 1000,
				type: r.type,
				direction: r.direction,
				action: r.action,
				result: r.result,
				to: party(r.to),
				from: party(r.from),
				extension: out.extension,
				legType: r.direction === 'Inbound' ? 'Accept' : 'RingOutWebToCaller',
				master: true,
				transport: 'PSTN',
			},
		];
	}
	return out;
}

function isDetailed(ctx: RequestCtx): boolean {
	const raw = ctx.query.get('view');
	if (raw !== null && raw !== '' && raw !== 'Simple' && raw !== 'Detailed') throw invalidParameter('CMN-101', 'Parameter [view] value is invalid.', 'view', raw);
	return raw === 'Detailed';
}

export function handleListCallLog(state: SimState, ctx: RequestCtx, session: Session, user: SimUser, scope: 'account' | 'extension'): Reply {
	if (scope === 'account') requireCompanyLog(session, user);
	else requireScope(session, 'ReadCallLog');
	const now = Date.now();
	const dateFrom = dateParam(ctx, 'dateFrom', now - DAY_MS);
	const dateTo = dateParam(ctx, 'dateTo', now);
	const types = enumParams(ctx, 'type', ['Voice', 'Fax'] as const);
	const directions = enumParams(ctx, 'direction', ['Inbound', 'Outbound'] as const);
	const detailed = isDetailed(ctx);
	const withRecording = ctx.query.get('withRecording') === 'true';
	const { page, perPage } = pageParams(ctx, 1000);
	const matching = callLogOf(state)
		.newest()
		.filter(
			(r) =>
				(scope === 'account' || r.extensionId === user.extensionId) &&
				r.startTime >= dateFrom &&
				r.startTime <= dateTo &&
				(types.length === 0 || types.includes(r.type)) &&
				(directions.length === 0 || directions.includes(r.direction)) &&
				(!withRecording || r.recording !== undefined),
		);
	const body = paged(ctx, matching, page, perPage);
	body.records = (body.records as SimCallRecord[]).map((r) => view(state, ctx, r, detailed));
	return { status: 200, body };
}

export function handleGetCallRecord(state: SimState, ctx: RequestCtx, session: Session, user: SimUser, scope: 'account' | 'extension', id: string): Reply {
	if (scope === 'account') requireCompanyLog(session, user);
	else requireScope(session, 'ReadCallLog');
	const detailed = isDetailed(ctx);
	const record = callLogOf(state).get(id);
	if (!record || (scope === 'extension' && record.extensionId !== user.extensionId)) {
		throw apiError(404, 'CMN-102', `Resource for parameter [callRecordId] is not found`, { parameterName: 'callRecordId', parameterValue: id });
	}
	return { status: 200, body: view(state, ctx, record, detailed) };
}

export function handleListCallQueues(state: SimState, ctx: RequestCtx, session: Session): Reply {
	requireScope(session, 'ReadAccounts');
	const { page, perPage } = pageParams(ctx, undefined);
	const base = `${ctx.baseUrl}/restapi/v1.0/account/${state.seed.accountId}`;
	const memberFilter = ctx.query.get('memberExtensionId');
	const queues = callLogOf(state).queues.filter((q) => !memberFilter || q.members.some((m) => String(m.id) === memberFilter));
	const body = paged(ctx, queues, page, perPage);
	body.records = (body.records as SimCallQueue[]).map((q) => ({
		uri: `${base}/call-queues/${q.id}`,
		id: q.id,
		extensionNumber: q.extensionNumber,
		name: q.name,
		status: q.status,
	}));
	return { status: 200, body };
}

export function handleListQueueMembers(state: SimState, ctx: RequestCtx, session: Session, groupId: string): Reply {
	requireScope(session, 'ReadAccounts');
	const queue = callLogOf(state).queues.find((q) => q.id === groupId);
	if (!queue) throw apiError(404, 'CMN-102', 'Resource for parameter [groupId] is not found', { parameterName: 'groupId', parameterValue: groupId });
	const { page, perPage } = pageParams(ctx, undefined);
	const base = `${ctx.baseUrl}/restapi/v1.0/account/${state.seed.accountId}`;
	const body = paged(ctx, queue.members, page, perPage);
	body.records = (body.records as SimCallQueue['members']).map((m) => ({ uri: `${base}/extension/${m.id}`, id: m.id, extensionNumber: m.extensionNumber }));
	return { status: 200, body };
}
