/**
 * The default store: one per n8n process, shared by every execution (module-level singleton, see
 * `stores.ts`). Each method runs synchronously between awaits, which makes it atomic within the process.
 * Only correct when one n8n process handles every generate and verify — queue mode needs Redis.
 *
 * Two tables with different rules, because forgetting means different things in them:
 * - `entries` (codes, send times, last TOTP steps) is bounded and evictable: expired records are swept,
 *   and beyond `maxEntries` the least recently written go. Losing a code fails closed ("unknown").
 * - `failureRecords` (consecutive failures, lockouts) is never swept or evicted, since evicting a count
 *   would hand an attacker a fresh budget by flooding the store. A record goes only on a success or an
 *   administrator reset. It is bounded by `maxFailureRecords`; when full, a verification for an identity
 *   without a record is refused with an error before anything is compared (fails closed, never a free
 *   uncounted guess). Filling it takes that many identifiers with a failed guess each, and an SMS guess
 *   needs an issued code, i.e. a sent SMS.
 */
import { digestsEqual } from './crypto';
import { lockoutAfter } from './failures';
import {
	EXPIRED_GRACE_MS,
	type CheckParams,
	type CheckResult,
	type CountFailureResult,
	type EnrolmentRecord,
	type FailureRule,
	type FailureSignal,
	type FailureState,
	type IssueParams,
	type IssueResult,
	type OtpStore,
	type TotpCheckParams,
	type TotpCheckResult,
} from './types';

interface CodeEntry {
	kind: 'code';
	verificationId: string;
	/** Empty when no code is valid (consumed, expired, revoked). */
	codeHash: string;
	sealedCode: string;
	expiresAt: number;
	attempts: number;
	maxAttempts: number;
	deadAt: number;
}

/** Send times of an identity (an identifier or a destination phone), across purposes. */
interface SendsEntry {
	kind: 'sends';
	sends: number[];
	deadAt: number;
}

interface TotpEntry {
	kind: 'totp';
	lastStep: number;
	deadAt: number;
}

type Entry = CodeEntry | SendsEntry | TotpEntry;

interface FailureRecord {
	failures: number;
	lockedUntil: number;
}

export interface MemoryStoreOptions {
	/** Most codes, send records and TOTP steps kept; beyond it expired ones are swept, then the least recently written dropped. */
	maxEntries?: number;
	/** Most identities with a failure count; never evicted (see above). */
	maxFailureRecords?: number;
	sweepIntervalMs?: number;
	/** Injectable clock (ms) for tests. */
	now?: () => number;
}

type Refusal = { ok: false; limit: 'cooldown' | 'send_limit'; retryAfterMs: number };

export class MemoryOtpStore implements OtpStore {
	readonly kind = 'memory' as const;

	private readonly entries = new Map<string, Entry>();
	private readonly failureRecords = new Map<string, FailureRecord>();
	/** Enrolled TOTP secrets: like failure records, never swept or evicted (losing one would unenrol a user). */
	private readonly enrolments = new Map<string, EnrolmentRecord>();
	private readonly maxEntries: number;
	private readonly maxFailureRecords: number;
	private readonly now: () => number;
	private readonly timer?: NodeJS.Timeout;

	constructor(options: MemoryStoreOptions = {}) {
		this.maxEntries = options.maxEntries ?? 100_000;
		this.maxFailureRecords = options.maxFailureRecords ?? 100_000;
		this.now = options.now ?? Date.now;
		const interval = options.sweepIntervalMs ?? 60_000;
		if (interval > 0) {
			this.timer = setInterval(() => this.sweep(), interval);
			// Never keep n8n (or a test) alive just to sweep.
			this.timer.unref();
		}
	}

	/** Records held: evictable entries plus failure records. */
	get size(): number {
		return this.entries.size + this.failureRecords.size;
	}

	/** Drops entries whose every deadline has passed. Failure records have none. */
	sweep(): number {
		const now = this.now();
		let removed = 0;
		for (const [key, entry] of this.entries) {
			if (entry.deadAt <= now) {
				this.entries.delete(key);
				removed++;
			}
		}
		return removed;
	}

	private get<T extends Entry['kind']>(key: string, kind: T): Extract<Entry, { kind: T }> | undefined {
		const entry = this.entries.get(key);
		if (!entry || entry.kind !== kind) return undefined;
		if (entry.deadAt <= this.now()) {
			this.entries.delete(key);
			return undefined;
		}
		return entry as Extract<Entry, { kind: T }>;
	}

	private put(key: string, entry: Entry): void {
		// Re-insert so Map order is least-recently-written first.
		this.entries.delete(key);
		this.entries.set(key, entry);
		if (this.entries.size > this.maxEntries) {
			this.sweep();
			while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
		}
	}

	/** Send times of an identity still inside the window. */
	private sendsOf(identity: string, now: number, windowMs: number): number[] {
		return (this.get(`s:${identity}`, 'sends')?.sends ?? []).filter((t) => t > now - windowMs);
	}

	private sendRefusal(sends: number[], now: number, p: IssueParams): Refusal | undefined {
		const last = sends[sends.length - 1];
		if (last !== undefined && last + p.cooldownMs > now) return { ok: false, limit: 'cooldown', retryAfterMs: last + p.cooldownMs - now };
		if (sends.length >= p.maxSends) return { ok: false, limit: 'send_limit', retryAfterMs: sends[0] + p.sendWindowMs - now };
		return undefined;
	}

	private recordSend(identity: string, sends: number[], now: number, windowMs: number): void {
		this.put(`s:${identity}`, { kind: 'sends', sends: [...sends, now], deadAt: now + windowMs });
	}

	/** Ended or locked right now, as a refusal signal; undefined when verification is open. */
	private closed(record: FailureRecord | undefined, ceiling: number, now: number): FailureSignal | undefined {
		if (!record) return undefined;
		if (record.failures >= ceiling) return { ended: true };
		if (record.lockedUntil > now) return { lockedUntil: record.lockedUntil };
		return undefined;
	}

	/** Refuses (throws) before any comparison when a failure could not be recorded. */
	private assertRoomFor(identity: string): void {
		if (!this.failureRecords.has(identity) && this.failureRecords.size >= this.maxFailureRecords) {
			throw new Error(`The memory OTP store already tracks failures for ${this.maxFailureRecords} identifiers; use the Redis store for this volume.`);
		}
	}

	/** Counts one failure and starts the lockout it earns. */
	private fail(identity: string, rule: FailureRule, now: number): FailureSignal {
		const record = this.failureRecords.get(identity) ?? { failures: 0, lockedUntil: 0 };
		record.failures += 1;
		const lockout = lockoutAfter(record.failures, rule);
		if (lockout > 0) record.lockedUntil = now + lockout;
		this.failureRecords.set(identity, record);
		if (record.failures >= rule.failureCeiling) return { ended: true };
		return record.lockedUntil > now ? { lockedUntil: record.lockedUntil } : {};
	}

	async issue(p: IssueParams): Promise<IssueResult> {
		const now = this.now();
		// Every refusal is decided before anything is written, so a refused code spends no send budget.
		const closed = this.closed(this.failureRecords.get(p.identity), p.failureCeiling, now);
		if (closed?.ended) return { ok: false, limit: 'ended', retryAfterMs: 0 };
		if (closed?.lockedUntil) return { ok: false, limit: 'locked', retryAfterMs: closed.lockedUntil - now };
		const sends = this.sendsOf(p.identity, now, p.sendWindowMs);
		const own = this.sendRefusal(sends, now, p);
		if (own) return own;
		const codeKey = `c:${p.identity}:${p.subject}`;
		const e = this.get(codeKey, 'code');
		const active = !!e && e.codeHash !== '' && e.expiresAt > now;
		if (active && e.attempts >= e.maxAttempts) return { ok: false, limit: 'attempts_exhausted', retryAfterMs: e.expiresAt - now };
		const destSends = p.destination !== undefined && p.destination !== p.identity ? this.sendsOf(p.destination, now, p.sendWindowMs) : undefined;
		const dest = destSends && this.sendRefusal(destSends, now, p);
		if (dest) return dest;

		this.recordSend(p.identity, sends, now, p.sendWindowMs);
		if (destSends) this.recordSend(p.destination as string, destSends, now, p.sendWindowMs);
		const sendsInWindow = sends.length + 1;
		if (active && p.reuseActiveCode && e.sealedCode !== '') {
			this.put(codeKey, e);
			return { ok: true, verificationId: e.verificationId, expiresAt: e.expiresAt, resend: true, reusedSealedCode: e.sealedCode, sendsInWindow };
		}
		const expiresAt = now + p.lifetimeMs;
		const next: CodeEntry = {
			kind: 'code',
			// A new code during a running verification keeps its id and its used attempts.
			verificationId: active ? e.verificationId : p.verificationId,
			codeHash: p.codeHash,
			sealedCode: p.sealedCode ?? '',
			expiresAt,
			attempts: active ? e.attempts : 0,
			maxAttempts: active ? e.maxAttempts : p.maxAttempts,
			deadAt: expiresAt + EXPIRED_GRACE_MS,
		};
		this.put(codeKey, next);
		return { ok: true, verificationId: next.verificationId, expiresAt, resend: active, sendsInWindow };
	}

	async check(p: CheckParams): Promise<CheckResult> {
		const now = this.now();
		const closed = this.closed(this.failureRecords.get(p.identity), p.failureCeiling, now);
		if (closed) return { approved: false, reason: 'too_many_attempts', ...closed };
		const e = this.get(`c:${p.identity}:${p.subject}`, 'code');
		if (!e || e.codeHash === '') return { approved: false, reason: 'unknown' };
		if (e.expiresAt <= now) {
			e.codeHash = '';
			e.sealedCode = '';
			return { approved: false, reason: 'expired' };
		}
		if (e.attempts >= e.maxAttempts) return { approved: false, reason: 'too_many_attempts' };
		this.assertRoomFor(p.identity);
		// Counted before comparing, so a crash or a concurrent request can never get a free guess.
		e.attempts += 1;
		// Both sides are HMAC digests of equal length; compare without an early exit.
		if (digestsEqual(e.codeHash, p.codeHash)) {
			e.codeHash = '';
			e.sealedCode = '';
			this.failureRecords.delete(p.identity);
			return { approved: true, verificationId: e.verificationId };
		}
		return { approved: false, reason: 'wrong', attemptsLeft: Math.max(0, e.maxAttempts - e.attempts), ...this.fail(p.identity, p, now) };
	}

	async revoke(identity: string, subject: string, codeHash: string): Promise<boolean> {
		const e = this.get(`c:${identity}:${subject}`, 'code');
		if (!e || e.codeHash === '' || !digestsEqual(e.codeHash, codeHash)) return false;
		e.codeHash = '';
		e.sealedCode = '';
		return true;
	}

	async checkTotp(p: TotpCheckParams): Promise<TotpCheckResult> {
		const now = this.now();
		const closed = this.closed(this.failureRecords.get(p.identity), p.failureCeiling, now);
		if (closed) return { approved: false, reason: 'too_many_attempts', ...closed };
		// Before the outcome is known to the caller: a full table must not turn a wrong guess into a free one.
		this.assertRoomFor(p.identity);
		const key = `t:${p.identity}:${p.subject}`;
		const lastStep = this.get(key, 'totp')?.lastStep ?? -1;
		if (p.step >= 0 && p.step > lastStep) {
			this.put(key, { kind: 'totp', lastStep: p.step, deadAt: now + p.rememberMs });
			this.failureRecords.delete(p.identity);
			return { approved: true, step: p.step };
		}
		return { approved: false, reason: p.step >= 0 ? 'replayed' : 'wrong', ...this.fail(p.identity, p, now) };
	}

	async failures(identity: string): Promise<FailureState> {
		const record = this.failureRecords.get(identity);
		if (!record) return { failures: 0, lockedUntil: 0 };
		return { failures: record.failures, lockedUntil: record.lockedUntil > this.now() ? record.lockedUntil : 0 };
	}

	async resetFailures(identity: string): Promise<boolean> {
		return this.failureRecords.delete(identity);
	}

	async countFailure(p: FailureRule & { identity: string }): Promise<CountFailureResult> {
		const now = this.now();
		const closed = this.closed(this.failureRecords.get(p.identity), p.failureCeiling, now);
		if (closed) return { counted: false, ...closed };
		this.assertRoomFor(p.identity);
		return { counted: true, ...this.fail(p.identity, p, now) };
	}

	async enrolment(identity: string): Promise<EnrolmentRecord> {
		return { ...(this.enrolments.get(identity) ?? {}) };
	}

	async setPendingEnrolment(identity: string, sealed: string): Promise<void> {
		const record = this.enrolments.get(identity);
		if (!record && this.enrolments.size >= this.maxFailureRecords) {
			throw new Error(`The memory OTP store already holds ${this.maxFailureRecords} TOTP enrolments; use the Redis store for this volume.`);
		}
		this.enrolments.set(identity, { ...record, pending: sealed });
	}

	async activateEnrolment(identity: string, sealed: string): Promise<boolean> {
		const record = this.enrolments.get(identity);
		if (!record || record.pending !== sealed) return false;
		this.enrolments.set(identity, { active: sealed });
		return true;
	}

	async removeEnrolment(identity: string): Promise<boolean> {
		return this.enrolments.delete(identity);
	}

	async close(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		this.entries.clear();
		this.failureRecords.clear();
		this.enrolments.clear();
	}
}
