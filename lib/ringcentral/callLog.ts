/**
 * Call log and call queue reads (docs/call-log-sync.md). Every request goes through the session's `call`,
 * so the shared limiter paces them with everything else the credential does: the four call-log reads are
 * in RingCentral's Heavy group (10 a minute by default), the queue list in Medium, queue members in Light.
 *
 * Pages are fetched one at a time and handed to the caller as they arrive; the next page is asked for only
 * while the answer's `navigation.nextPage` says there is one (with `paging.totalPages` as a second opinion
 * and a hard page ceiling, so a server that always says "next" cannot loop us forever).
 */
import { RingCentralApiError } from './errors';
import type { RingCentralSession } from './session';
import type { CallOptions } from './types';

const ACCOUNT = '/restapi/v1.0/account/~';
/** The contract's largest call-log page. */
export const CALL_LOG_MAX_PER_PAGE = 1000;
const MAX_PAGES = 10_000;

export type CallLogScope = 'extension' | 'account';

export interface CallLogFilter {
	scope: CallLogScope;
	/** ISO 8601; the platform's default is 24 hours ago. */
	dateFrom?: string;
	dateTo?: string;
	type?: 'Voice' | 'Fax';
	direction?: 'Inbound' | 'Outbound';
	view?: 'Simple' | 'Detailed';
	withRecording?: boolean;
}

/** A call-log record as RingCentral returns it (the fields we read; the rest passes through). */
export interface CallLogRecord {
	id: string;
	sessionId?: string;
	startTime?: string;
	duration?: number;
	type?: string;
	direction?: string;
	action?: string;
	result?: string;
	from?: Record<string, unknown>;
	to?: Record<string, unknown>;
	legs?: Array<Record<string, unknown>>;
	[key: string]: unknown;
}

export interface CallQueue {
	id: string;
	name?: string;
	extensionNumber?: string;
	status?: string;
	[key: string]: unknown;
}

export interface CallQueueMember {
	id: number | string;
	extensionNumber?: string;
	[key: string]: unknown;
}

interface Page<T> {
	records?: T[];
	paging?: { page?: number; totalPages?: number; perPage?: number; totalElements?: number };
	navigation?: { nextPage?: { uri?: string } };
}

export interface PageOptions extends CallOptions {
	/** Stop after this many records (undefined: all). */
	limit?: number;
	/** Records per request; fewer requests for the Heavy group is better, so the default is the maximum. */
	perPage?: number;
	/** Called after each page with the running totals (for progress and figures). */
	onPage?: (info: { page: number; records: number }) => void;
}

const RECORD_ID = /^[A-Za-z0-9_-]{1,64}$/;

function callLogPath(scope: CallLogScope): string {
	return scope === 'account' ? `${ACCOUNT}/call-log` : `${ACCOUNT}/extension/~/call-log`;
}

/** The account-wide log needs more than the app permission: say what, in words. */
function explainScopeRefusal(error: unknown, scope: CallLogScope): unknown {
	if (!(error instanceof RingCentralApiError) || error.status !== 403) return error;
	const init = { status: error.status, errorCode: error.errorCode, body: error.body };
	const sentence =
		scope === 'account'
			? "RingCentral refused to read the whole account's call log. That needs the app permission ReadCallLog (Developer Console → the app → Settings → Application scopes) and, for the user the credential signs in as, an admin role that includes the Company Call Log permission (FullCompanyCallLog), e.g. Super Admin. Or set Scope to Extension to read only this user's own calls."
			: 'RingCentral refused to read the call log: the app needs the ReadCallLog permission (Developer Console → the app → Settings → Application scopes), and the user the credential signs in as must be allowed to see their call log.';
	return new RingCentralApiError(error.errorCode ? `${sentence} (${error.errorCode})` : sentence, init);
}

/** Reads every page (or up to `limit` records), one request at a time, calling `onRecords` per page. */
async function eachPage<T>(
	session: RingCentralSession,
	request: { path: string; query: Record<string, string | number | undefined>; group: 'heavy' | 'medium' | 'light' },
	options: PageOptions,
	maxPerPage: number,
	onRecords: (records: T[]) => void,
): Promise<number> {
	const limit = options.limit !== undefined && options.limit > 0 ? Math.floor(options.limit) : undefined;
	const perPage = Math.max(1, Math.min(maxPerPage, Math.floor(options.perPage ?? maxPerPage), limit ?? maxPerPage));
	let total = 0;
	for (let page = 1; page <= MAX_PAGES; page++) {
		const answer = await session.call<Page<T>>({
			method: 'GET',
			path: request.path,
			query: { ...request.query, page, perPage },
			group: request.group,
			idempotent: true,
			timeoutMs: options.timeoutMs,
		});
		let records = Array.isArray(answer.records) ? answer.records : [];
		if (limit !== undefined) records = records.slice(0, limit - total);
		total += records.length;
		onRecords(records);
		options.onPage?.({ page, records: total });
		if (limit !== undefined && total >= limit) break;
		const totalPages = answer.paging?.totalPages;
		const hasNext = Boolean(answer.navigation?.nextPage) && (totalPages === undefined || page < totalPages);
		if (!hasNext || records.length === 0) break;
	}
	return total;
}

/** Call-log records matching the filter, newest first (the platform's order). */
export async function listCallLog(session: RingCentralSession, filter: CallLogFilter, options: PageOptions = {}): Promise<CallLogRecord[]> {
	const all: CallLogRecord[] = [];
	await forEachCallLogPage(session, filter, options, (records) => all.push(...records));
	return all;
}

export async function forEachCallLogPage(
	session: RingCentralSession,
	filter: CallLogFilter,
	options: PageOptions,
	onRecords: (records: CallLogRecord[]) => void,
): Promise<number> {
	const query: Record<string, string | undefined> = {
		dateFrom: filter.dateFrom,
		dateTo: filter.dateTo,
		type: filter.type,
		direction: filter.direction,
		view: filter.view ?? 'Simple',
		withRecording: filter.withRecording ? 'true' : undefined,
	};
	try {
		return await eachPage<CallLogRecord>(session, { path: callLogPath(filter.scope), query, group: 'heavy' }, options, CALL_LOG_MAX_PER_PAGE, onRecords);
	} catch (error) {
		throw explainScopeRefusal(error, filter.scope);
	}
}

/** One call-log record by id. */
export async function getCallRecord(
	session: RingCentralSession,
	id: string,
	o: { scope: CallLogScope; view?: 'Simple' | 'Detailed' } & CallOptions,
): Promise<CallLogRecord> {
	if (!RECORD_ID.test(id)) throw new RingCentralApiError(`"${id.slice(0, 70)}" is not a RingCentral call record id (letters, digits, "-" and "_", one id).`);
	try {
		return await session.call<CallLogRecord>({
			method: 'GET',
			path: `${callLogPath(o.scope)}/${encodeURIComponent(id)}`,
			query: { view: o.view ?? 'Simple' },
			group: 'heavy',
			idempotent: true,
			timeoutMs: o.timeoutMs,
		});
	} catch (error) {
		throw explainScopeRefusal(error, o.scope);
	}
}

/** The account's call queues (Medium group). */
export async function listCallQueues(session: RingCentralSession, options: PageOptions = {}): Promise<CallQueue[]> {
	const all: CallQueue[] = [];
	await eachPage<CallQueue>(session, { path: `${ACCOUNT}/call-queues`, query: {}, group: 'medium' }, options, 1000, (r) => all.push(...r));
	return all;
}

/** The members of one call queue (Light group). */
export async function listCallQueueMembers(session: RingCentralSession, queueId: string, options: PageOptions = {}): Promise<CallQueueMember[]> {
	if (!/^\d{1,20}$/.test(queueId)) throw new RingCentralApiError(`"${queueId.slice(0, 40)}" is not a RingCentral call queue id (digits only).`);
	const all: CallQueueMember[] = [];
	await eachPage<CallQueueMember>(
		session,
		{ path: `${ACCOUNT}/call-queues/${queueId}/members`, query: {}, group: 'light' },
		options,
		1000,
		(r) => all.push(...r),
	);
	return all;
}
