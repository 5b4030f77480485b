/**
 * The default store: one Map per n8n process, shared by every execution (module-level singleton, see
 * `stores.ts`). Each method runs synchronously between awaits, which makes it atomic within the process.
 * Only correct when one n8n process handles every generate and verify — queue mode needs Redis.
 */
import { digestsEqual } from './crypto';
import {
	EXPIRED_GRACE_MS,
	type CheckParams,
	type CheckResult,
	type IssueParams,
	type IssueResult,
	type OtpStore,
	type ReserveResult,
	type SendReservation,
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

/** Per identifier, across purposes: sends (limit, cooldown) and consecutive failures. */
interface IdentityEntry {
	kind: 'identity';
	sends: number[];
	failures: number;
	failuresUntil: number;
	deadAt: number;
}

interface TotpEntry {
	kind: 'totp';
	lastStep: number;
	failures: number;
	failuresUntil: number;
	deadAt: number;
}

type Entry = CodeEntry | IdentityEntry | TotpEntry;

export interface MemoryStoreOptions {
	/** Most entries kept; beyond it expired ones are swept, then the least recently used dropped. */
	maxEntries?: number;
	sweepIntervalMs?: number;
	/** Injectable clock (ms) for tests. */
	now?: () => number;
}

export class MemoryOtpStore implements OtpStore {
	readonly kind = 'memory' as const;

	private readonly entries = new Map<string, Entry>();
	private readonly maxEntries: number;
	private readonly now: () => number;
	private readonly timer?: NodeJS.Timeout;

	constructor(options: MemoryStoreOptions = {}) {
		this.maxEntries = options.maxEntries ?? 100_000;
		this.now = options.now ?? Date.now;
		const interval = options.sweepIntervalMs ?? 60_000;
		if (interval > 0) {
			this.timer = setInterval(() => this.sweep(), interval);
			// Never keep n8n (or a test) alive just to sweep.
			this.timer.unref();
		}
	}

	get size(): number {
		return this.entries.size;
	}

	/** Drops entries whose every deadline has passed. */
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
		// Re-insert so Map order is least-recently-used first.
		this.entries.delete(key);
		this.entries.set(key, entry);
		if (this.entries.size > this.maxEntries) {
			this.sweep();
			while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
		}
	}

	/** The identity record with failures already forgotten if their time is up. */
	private identity(key: string, now: number): IdentityEntry {
		const id = this.get(key, 'identity') ?? { kind: 'identity', sends: [], failures: 0, failuresUntil: 0, deadAt: 0 };
		if (id.failuresUntil <= now) {
			id.failures = 0;
			id.failuresUntil = 0;
		}
		return id;
	}

	async issue(p: IssueParams): Promise<IssueResult> {
		const now = this.now();
		const idKey = `i:${p.identity}`;
		const codeKey = `c:${p.identity}:${p.subject}`;
		const id = this.identity(idKey, now);
		const e = this.get(codeKey, 'code');
		if (id.failures >= p.failureCeiling) return { ok: false, limit: 'locked', retryAfterMs: id.failuresUntil - now };
		const sends = id.sends.filter((t) => t > now - p.sendWindowMs);
		if (sends.length > 0 && sends[sends.length - 1] + p.cooldownMs > now) {
			return { ok: false, limit: 'cooldown', retryAfterMs: sends[sends.length - 1] + p.cooldownMs - now };
		}
		if (sends.length >= p.maxSends) return { ok: false, limit: 'send_limit', retryAfterMs: sends[0] + p.sendWindowMs - now };
		const active = !!e && e.codeHash !== '' && e.expiresAt > now;
		if (active && e.attempts >= e.maxAttempts) return { ok: false, limit: 'attempts_exhausted', retryAfterMs: e.expiresAt - now };
		sends.push(now);
		id.sends = sends;
		id.deadAt = Math.max(id.deadAt, now + p.sendWindowMs, id.failuresUntil);
		this.put(idKey, id);

		if (active && p.reuseActiveCode && e.sealedCode !== '') {
			this.put(codeKey, e);
			return { ok: true, verificationId: e.verificationId, expiresAt: e.expiresAt, resend: true, reusedSealedCode: e.sealedCode, sendsInWindow: sends.length };
		}
		const expiresAt = now + p.lifetimeMs;
		const next: CodeEntry = {
			kind: 'code',
			// A new code during a running verification keeps its id and its used attempts (NIST: a new
			// secret must not reset the failure count).
			verificationId: active ? e.verificationId : p.verificationId,
			codeHash: p.codeHash,
			sealedCode: p.sealedCode ?? '',
			expiresAt,
			attempts: active ? e.attempts : 0,
			maxAttempts: active ? e.maxAttempts : p.maxAttempts,
			deadAt: expiresAt + EXPIRED_GRACE_MS,
		};
		this.put(codeKey, next);
		return { ok: true, verificationId: next.verificationId, expiresAt, resend: active, sendsInWindow: sends.length };
	}

	async reserveSend(p: SendReservation): Promise<ReserveResult> {
		const now = this.now();
		const key = `i:${p.identity}`;
		const id = this.identity(key, now);
		const sends = id.sends.filter((t) => t > now - p.sendWindowMs);
		if (sends.length > 0 && sends[sends.length - 1] + p.cooldownMs > now) {
			return { ok: false, limit: 'cooldown', retryAfterMs: sends[sends.length - 1] + p.cooldownMs - now };
		}
		if (sends.length >= p.maxSends) return { ok: false, limit: 'send_limit', retryAfterMs: sends[0] + p.sendWindowMs - now };
		sends.push(now);
		id.sends = sends;
		id.deadAt = Math.max(id.deadAt, now + p.sendWindowMs);
		this.put(key, id);
		return { ok: true };
	}

	async check(p: CheckParams): Promise<CheckResult> {
		const now = this.now();
		const idKey = `i:${p.identity}`;
		const id = this.get(idKey, 'identity');
		if (id && id.failuresUntil <= now) {
			id.failures = 0;
			id.failuresUntil = 0;
		}
		if (id && id.failures >= p.failureCeiling) return { approved: false, reason: 'too_many_attempts' };
		const e = this.get(`c:${p.identity}:${p.subject}`, 'code');
		if (!e || e.codeHash === '') return { approved: false, reason: 'unknown' };
		if (e.expiresAt <= now) {
			e.codeHash = '';
			e.sealedCode = '';
			return { approved: false, reason: 'expired' };
		}
		if (e.attempts >= e.maxAttempts) return { approved: false, reason: 'too_many_attempts' };
		// Counted before comparing, so a crash or a concurrent request can never get a free guess.
		e.attempts += 1;
		// Both sides are HMAC digests of equal length; compare without an early exit.
		if (digestsEqual(e.codeHash, p.codeHash)) {
			e.codeHash = '';
			e.sealedCode = '';
			if (id) {
				id.failures = 0;
				id.failuresUntil = 0;
			}
			return { approved: true, verificationId: e.verificationId };
		}
		const failed = id ?? { kind: 'identity' as const, sends: [], failures: 0, failuresUntil: 0, deadAt: 0 };
		failed.failures += 1;
		failed.failuresUntil = now + p.lockoutMs;
		failed.deadAt = Math.max(failed.deadAt, failed.failuresUntil);
		if (!id) this.put(idKey, failed);
		return { approved: false, reason: 'wrong', attemptsLeft: Math.max(0, e.maxAttempts - e.attempts) };
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
		const key = `t:${p.subject}`;
		const e: TotpEntry = this.get(key, 'totp') ?? { kind: 'totp', lastStep: -1, failures: 0, failuresUntil: 0, deadAt: 0 };
		if (e.failuresUntil <= now) {
			e.failures = 0;
			e.failuresUntil = 0;
		}
		if (e.failures >= p.failureCeiling) return { approved: false, reason: 'too_many_attempts' };
		let result: TotpCheckResult;
		if (p.step >= 0 && p.step > e.lastStep) {
			e.lastStep = p.step;
			e.failures = 0;
			e.failuresUntil = 0;
			result = { approved: true, step: p.step };
		} else {
			e.failures += 1;
			e.failuresUntil = now + p.lockoutMs;
			result = { approved: false, reason: p.step >= 0 ? 'replayed' : 'wrong' };
		}
		e.deadAt = Math.max(e.deadAt, now + p.rememberMs, e.failuresUntil);
		this.put(key, e);
		return result;
	}

	async close(): Promise<void> {
		if (this.timer) clearInterval(this.timer);
		this.entries.clear();
	}
}

