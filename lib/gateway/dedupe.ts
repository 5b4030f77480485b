/**
 * Duplicate window: callers retry (PRTG three times, ManageEngine on timeout), and a retry must not text
 * the user twice. The first request for (recipient, text) within the window claims it; later ones get the
 * first one's reply — waiting for it when it is still in flight — and send nothing.
 *
 * Where it lives: in this process's memory, or — when the package shares state through Redis (queue mode
 * with n8n's own Redis, or `N8N_RINGCENTRAL_REDIS_URL`) — in Redis, so every webhook process of the cluster
 * sees the same claims, and the reply node settles a key from whichever worker runs it. When the reply node
 * did not settle a key, the trigger settles it from the status of the reply n8n wrote. A definite failure
 * frees the key so a retry can try again; an unknown outcome (timeout) keeps it, since re-sending could
 * double-text.
 */
import { createHash } from 'node:crypto';
import { redisPrefix, sharedRedis } from '../ringcentral/redis';
import type { RedisClient } from '../ringcentral/coordination';
import type { ReplyOutcome } from './reply';

interface Entry {
	expiresAt: number;
	outcome?: ReplyOutcome;
	waiters: Array<(outcome: ReplyOutcome) => void>;
}

export type Claim = { first: true; key: string } | { first: false; key: string; outcome?: ReplyOutcome };

const MAX_ENTRIES = 20000;

export function dedupeKey(scope: string, to: string, text: string): string {
	return createHash('sha256').update(`${scope}\n${to}\n${text}`, 'utf8').digest('hex').slice(0, 32);
}

/** The window in this process's memory. */
export class DuplicateWindow {
	private readonly entries = new Map<string, Entry>();

	constructor(private readonly now: () => number = Date.now) {}

	private sweep(): void {
		const t = this.now();
		for (const [key, entry] of this.entries) if (entry.expiresAt <= t) this.entries.delete(key);
		// Still too many live keys (a flood): forget the oldest rather than grow without bound.
		while (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
	}

	claim(key: string, windowMs: number): Claim {
		const existing = this.entries.get(key);
		if (existing && existing.expiresAt > this.now()) return { first: false, key, outcome: existing.outcome };
		this.sweep();
		this.entries.set(key, { expiresAt: this.now() + windowMs, waiters: [] });
		return { first: true, key };
	}

	/** Records how the first request ended and answers the duplicates waiting for it. */
	settle(key: string, outcome: ReplyOutcome, retryable: boolean): void {
		const entry = this.entries.get(key);
		// The first settle wins: the reply node knows more (message id, reason) than the response status.
		if (!entry || entry.outcome) return;
		entry.outcome = outcome;
		for (const resolve of entry.waiters.splice(0)) resolve(outcome);
		if (retryable) this.entries.delete(key);
	}

	/** The first request's outcome, or undefined if it is not known within `timeoutMs`. */
	async waitFor(key: string, timeoutMs: number): Promise<ReplyOutcome | undefined> {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		if (entry.outcome) return entry.outcome;
		return await new Promise<ReplyOutcome | undefined>((resolve) => {
			const timer = setTimeout(() => {
				entry.waiters = entry.waiters.filter((w) => w !== done);
				resolve(undefined);
			}, timeoutMs);
			timer.unref?.();
			const done = (outcome: ReplyOutcome) => {
				clearTimeout(timer);
				resolve(outcome);
			};
			entry.waiters.push(done);
		});
	}

	get size(): number {
		return this.entries.size;
	}
}

// Values: 'p' = claimed, in flight; 'o:<json>' = settled, kept for the window; 'r:<json>' = settled with a
// definite failure: free to claim again, readable a few seconds for the duplicates still waiting.
const CLAIM_SCRIPT = `local v = redis.call('GET', KEYS[1])
if (not v) or string.sub(v, 1, 2) == 'r:' then redis.call('SET', KEYS[1], 'p', 'PX', ARGV[1]) return '' end
return v`;
const SETTLE_SCRIPT = `if redis.call('GET', KEYS[1]) ~= 'p' then return 0 end
if ARGV[2] == '1' then redis.call('SET', KEYS[1], 'r:' .. ARGV[1], 'PX', 5000) else redis.call('SET', KEYS[1], 'o:' .. ARGV[1], 'KEEPTTL') end
return 1`;

const parseOutcome = (value: string | null): ReplyOutcome | undefined => {
	if (!value || value === 'p') return undefined;
	try {
		return JSON.parse(value.slice(2)) as ReplyOutcome;
	} catch {
		return undefined;
	}
};

/** The window in Redis, shared by every process that uses the same Redis and prefix. */
export class RedisDuplicateWindow {
	constructor(
		private readonly redis: RedisClient,
		private readonly prefix: string,
	) {}

	private key(key: string): string {
		return `${this.prefix}dedupe:${key}`;
	}

	async claim(key: string, windowMs: number): Promise<Claim> {
		const existing = String(await this.redis.eval(CLAIM_SCRIPT, 1, this.key(key), Math.max(1, Math.round(windowMs))));
		if (existing === '') return { first: true, key };
		return { first: false, key, outcome: parseOutcome(existing) };
	}

	async settle(key: string, outcome: ReplyOutcome, retryable: boolean): Promise<void> {
		await this.redis.eval(SETTLE_SCRIPT, 1, this.key(key), JSON.stringify(outcome), retryable ? '1' : '0');
	}

	async waitFor(key: string, timeoutMs: number): Promise<ReplyOutcome | undefined> {
		const until = Date.now() + timeoutMs;
		for (;;) {
			const value = await this.redis.get(this.key(key));
			if (value === null) return undefined;
			const outcome = parseOutcome(value);
			if (outcome) return outcome;
			if (Date.now() >= until) return undefined;
			await new Promise((resolve) => setTimeout(resolve, Math.min(100, Math.max(1, until - Date.now()))));
		}
	}
}

/**
 * The window the gateway nodes use: Redis when the package shares state through it, else this process's
 * memory. Should Redis fail, the process's own window still catches retries that reach this process.
 */
export class GatewayDuplicateWindow {
	readonly memory = new DuplicateWindow();

	private shared(): RedisDuplicateWindow | undefined {
		const redis = sharedRedis();
		return redis ? new RedisDuplicateWindow(redis, redisPrefix()) : undefined;
	}

	async claim(key: string, windowMs: number): Promise<Claim> {
		const shared = this.shared();
		if (shared) {
			try {
				return await shared.claim(key, windowMs);
			} catch {
				// fall back to this process's window below
			}
		}
		return this.memory.claim(key, windowMs);
	}

	settle(key: string, outcome: ReplyOutcome, retryable: boolean): void {
		this.memory.settle(key, outcome, retryable);
		this.shared()
			?.settle(key, outcome, retryable)
			.catch(() => undefined);
	}

	async waitFor(key: string, timeoutMs: number): Promise<ReplyOutcome | undefined> {
		const shared = this.shared();
		if (shared) {
			try {
				return await shared.waitFor(key, timeoutMs);
			} catch {
				// fall back to this process's window below
			}
		}
		return await this.memory.waitFor(key, timeoutMs);
	}
}

/** One window per n8n process (or per cluster with Redis), shared by the trigger (claims) and the reply node (settles). */
export const sharedDuplicateWindow = new GatewayDuplicateWindow();

/** How the first request ended, judged from the HTTP status n8n wrote when no reply node settled it. */
export function outcomeFromStatus(status: number): { outcome: ReplyOutcome; retryable: boolean } {
	if (status >= 200 && status < 300) return { outcome: { ok: true }, retryable: false };
	const reason = 'the same SMS was requested moments ago and that request failed';
	// 4xx and 502 (RingCentral refused) mean nothing was sent; anything else may have sent it.
	const retryable = (status >= 400 && status < 500) || status === 502;
	return { outcome: { ok: false, failure: { status: retryable ? status : 504, code: retryable ? 'send-failed' : 'timeout', reason } }, retryable };
}
