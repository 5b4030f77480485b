/**
 * The incremental call-log sync's arithmetic, free of n8n (docs/call-log-sync.md).
 *
 * A run reads `[syncedUntil − overlap, now]` and is committed — `syncedUntil` moves to that run's `now` —
 * only after the records were stored. So:
 * - nothing is lost when a run fails: the position did not move, the next run reads the same window again;
 * - nothing is doubled: windows overlap on purpose and the store upserts by the record `id`, and one run
 *   drops the repeats that page shifts cause (a record inserted while we page pushes the others down);
 * - a record that shows up late — RingCentral lists a call once it has ended and been processed, with the
 *   `startTime` of when it began — is caught by the next run as long as it appears within `overlap` of the
 *   previous run.
 */
import type { CallLogRecord } from './callLog';

export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;

/** What the sync keeps between runs (in n8n: the workflow's static data, under the sync's name). */
export interface SyncPosition {
	/** End of the last committed window (ISO 8601). */
	syncedUntil?: string;
	/** The window of the run in progress, committed by "Save Sync Position". */
	pending?: { dateFrom: string; dateTo: string; records: number };
	/** When the position last moved, and how many records that run read (for a person looking at it). */
	committedAt?: string;
	lastRecords?: number;
}

export interface WindowPlan {
	dateFrom: string;
	dateTo: string;
	/** True when there was no committed position: the back-fill window. */
	firstRun: boolean;
}

/** The window of the next run. */
export function planWindow(position: SyncPosition | undefined, o: { now: number; overlapMs: number; backfillMs: number }): WindowPlan {
	const until = position?.syncedUntil ? Date.parse(position.syncedUntil) : NaN;
	const firstRun = !Number.isFinite(until);
	// A position in the future (a clock that jumped) must not skip anything: read from the overlap before now.
	const start = firstRun ? o.now - o.backfillMs : Math.min(until, o.now) - o.overlapMs;
	return { dateFrom: new Date(start).toISOString(), dateTo: new Date(o.now).toISOString(), firstRun };
}

/** Moves the position to the pending window's end, never backwards. */
export function commitPosition(position: SyncPosition | undefined, now: number): { position: SyncPosition; moved: boolean } {
	const current = position ?? {};
	if (!current.pending) return { position: current, moved: false };
	const before = current.syncedUntil ? Date.parse(current.syncedUntil) : -Infinity;
	const after = Date.parse(current.pending.dateTo);
	const next: SyncPosition = {
		syncedUntil: after > before ? current.pending.dateTo : current.syncedUntil,
		committedAt: new Date(now).toISOString(),
		lastRecords: current.pending.records,
	};
	return { position: next, moved: after > before };
}

/** Keeps the first copy of each record id (pages can repeat a record when the log changes while we read). */
export function uniqueById(records: CallLogRecord[]): CallLogRecord[] {
	const seen = new Set<string>();
	const out: CallLogRecord[] = [];
	for (const record of records) {
		const id = String(record.id);
		if (seen.has(id)) continue;
		seen.add(id);
		out.push(record);
	}
	return out;
}
