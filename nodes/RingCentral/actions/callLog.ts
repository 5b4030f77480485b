/**
 * Call Log operations. Reads go through the transport (`lib/ringcentral/callLog.ts`), which pages one
 * request at a time inside the Heavy group's budget. The incremental sync keeps its position in the
 * workflow's static data (docs/call-log-sync.md): "Get New Since Last Sync" reads the window and notes it as
 * pending; "Save Sync Position", placed after the node that stores the records, commits it. n8n saves static
 * data even when an execution fails, so committing only after the store is what keeps a failed write from
 * skipping records.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import {
	CALL_LOG_MAX_PER_PAGE,
	DAY_MS,
	MINUTE_MS,
	commitPosition,
	forEachCallLogPage,
	getCallRecord,
	planWindow,
	uniqueById,
	type CallLogFilter,
	type CallLogRecord,
	type CallLogScope,
	type RingCentralClient,
	type SyncPosition,
} from '../../../lib/ringcentral';
import { inputError } from '../../shared/errors';
import type { Routed } from '../../shared/runner';

const STATIC_PREFIX = 'ringCentralCallLogSync:';

function scopeOf(ctx: IExecuteFunctions, i: number): CallLogScope {
	const scope = ctx.getNodeParameter('scope', i, 'extension');
	if (scope !== 'extension' && scope !== 'account') throw inputError(`Scope must be "extension" or "account", not "${String(scope)}".`, 'scope');
	return scope;
}

function viewOf(ctx: IExecuteFunctions, i: number): 'Simple' | 'Detailed' {
	const view = ctx.getNodeParameter('view', i, 'Simple');
	if (view !== 'Simple' && view !== 'Detailed') throw inputError(`View must be "Simple" or "Detailed", not "${String(view)}".`, 'view');
	return view;
}

function dateOf(value: unknown, field: string): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const ms = value instanceof Date ? value.getTime() : Date.parse(String(value));
	if (!Number.isFinite(ms)) throw inputError(`${field === 'dateFrom' ? 'Date From' : 'Date To'} "${String(value).slice(0, 40)}" is not a date.`, field);
	return new Date(ms).toISOString();
}

function enumOf<T extends string>(value: unknown, allowed: readonly T[], field: string, label: string): T | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (!allowed.includes(value as T)) throw inputError(`${label} must be one of ${allowed.join(', ')}.`, field);
	return value as T;
}

/** Type, direction and recording filters, shared by Get Many and the sync. */
function commonFilters(raw: IDataObject, prefix: string): Pick<CallLogFilter, 'type' | 'direction' | 'withRecording'> {
	return {
		type: enumOf(raw.type, ['Voice', 'Fax'] as const, `${prefix}.type`, 'Type'),
		direction: enumOf(raw.direction, ['Inbound', 'Outbound'] as const, `${prefix}.direction`, 'Direction'),
		withRecording: raw.withRecording === true,
	};
}

function pageOptions(ctx: IExecuteFunctions, i: number): { perPage: number; timeoutMs: number } {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const perPage = Number(options.pageSize ?? CALL_LOG_MAX_PER_PAGE);
	if (!Number.isInteger(perPage) || perPage < 1 || perPage > CALL_LOG_MAX_PER_PAGE) {
		throw inputError(`Page Size must be a whole number from 1 to ${CALL_LOG_MAX_PER_PAGE}.`, 'options.pageSize');
	}
	const seconds = Number(options.timeoutSeconds ?? 300);
	if (!Number.isFinite(seconds) || seconds <= 0) throw inputError('Timeout per Request must be a positive number of seconds.', 'options.timeoutSeconds');
	return { perPage, timeoutMs: seconds * 1000 };
}

const asItems = (records: CallLogRecord[]): Routed[] => records.map((r) => ({ output: 0, json: r as IDataObject }));

export async function getManyCallLog(ctx: IExecuteFunctions, client: RingCentralClient, i: number): Promise<Routed[]> {
	const raw = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const filter: CallLogFilter = {
		scope: scopeOf(ctx, i),
		view: viewOf(ctx, i),
		dateFrom: dateOf(raw.dateFrom, 'dateFrom'),
		dateTo: dateOf(raw.dateTo, 'dateTo'),
		...commonFilters(raw, 'filters'),
	};
	if (filter.dateFrom && filter.dateTo && filter.dateFrom > filter.dateTo) throw inputError('Date From is after Date To.', 'filters.dateFrom');
	const returnAll = ctx.getNodeParameter('returnAll', i, false) === true;
	const limit = returnAll ? undefined : Number(ctx.getNodeParameter('limit', i, 50));
	if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw inputError('Limit must be a whole number of at least 1.', 'limit');
	const records: CallLogRecord[] = [];
	await forEachCallLogPage(client.session, filter, { ...pageOptions(ctx, i), limit }, (page) => records.push(...page));
	return asItems(uniqueById(records));
}

export async function getCallLogRecord(ctx: IExecuteFunctions, client: RingCentralClient, i: number): Promise<Routed[]> {
	const id = String(ctx.getNodeParameter('recordId', i, '') ?? '').trim();
	if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
		throw inputError(`Record ID "${id.slice(0, 70)}" is not a RingCentral call-log record ID (letters, digits, "-" and "_"; one ID).`, 'recordId');
	}
	const record = await getCallRecord(client.session, id, { scope: scopeOf(ctx, i), view: viewOf(ctx, i) });
	return asItems([record]);
}

function syncKey(ctx: IExecuteFunctions): string {
	const name = String(ctx.getNodeParameter('syncName', 0, '') ?? '').trim();
	if (!name || name.length > 100) throw inputError('Sync Name must be 1 to 100 characters.', 'syncName');
	return `${STATIC_PREFIX}${name}`;
}

/** Runs once per execution (whatever the number of input items): one window, one pending position. */
export async function syncCallLog(ctx: IExecuteFunctions, client: RingCentralClient): Promise<Routed[]> {
	const key = syncKey(ctx);
	const overlapMinutes = Number(ctx.getNodeParameter('overlapMinutes', 0, 60));
	if (!Number.isFinite(overlapMinutes) || overlapMinutes < 0) throw inputError('Overlap must be zero or more minutes.', 'overlapMinutes');
	const backfillDays = Number(ctx.getNodeParameter('backfillDays', 0, 1));
	if (!Number.isFinite(backfillDays) || backfillDays <= 0 || backfillDays > 365) throw inputError('First Run: Days Back must be more than 0 and at most 365.', 'backfillDays');
	const raw = ctx.getNodeParameter('syncFilters', 0, {}) as IDataObject;
	const store = ctx.getWorkflowStaticData('global');
	const position = (store[key] ?? undefined) as SyncPosition | undefined;
	const window = planWindow(position, { now: Date.now(), overlapMs: overlapMinutes * MINUTE_MS, backfillMs: backfillDays * DAY_MS });
	const filter: CallLogFilter = {
		scope: scopeOf(ctx, 0),
		view: viewOf(ctx, 0),
		dateFrom: window.dateFrom,
		dateTo: window.dateTo,
		...commonFilters(raw, 'syncFilters'),
	};
	const records: CallLogRecord[] = [];
	await forEachCallLogPage(client.session, filter, pageOptions(ctx, 0), (page) => records.push(...page));
	const unique = uniqueById(records);
	store[key] = { ...(position ?? {}), pending: { dateFrom: window.dateFrom, dateTo: window.dateTo, records: unique.length } } as unknown as IDataObject;
	return unique.map((r) => ({ output: 0, json: r as IDataObject, pairedItem: { item: 0 } }));
}

/** Commits the pending window of this execution; one item saying where the sync now stands. */
export async function commitCallLogSync(ctx: IExecuteFunctions): Promise<Routed[]> {
	const key = syncKey(ctx);
	const store = ctx.getWorkflowStaticData('global');
	const before = (store[key] ?? undefined) as SyncPosition | undefined;
	const { position, moved } = commitPosition(before, Date.now());
	if (before?.pending) store[key] = position as unknown as IDataObject;
	return [
		{
			output: 0,
			json: {
				syncName: key.slice(STATIC_PREFIX.length),
				committed: moved,
				syncedUntil: position.syncedUntil ?? null,
				...(before?.pending ? { window: before.pending as unknown as IDataObject } : { note: 'No pending window: "Get New Since Last Sync" with this Sync Name did not run in this execution.' }),
			},
			pairedItem: { item: 0 },
		},
	];
}
