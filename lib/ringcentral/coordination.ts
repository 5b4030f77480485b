/**
 * What several executions — and, in queue mode, several n8n processes — must share for one credential:
 * the RingCentral session (tokens) and the per-group request budget.
 *
 * Without Redis everything is process-local: each process logs in once and paces itself. With Redis
 * (`N8N_RINGCENTRAL_REDIS_URL`), every process shares one session (tokens stored encrypted under a key
 * derived from the credential, so reading Redis does not give anyone a usable token), one login/refresh lock,
 * one sliding-window budget per rate-limit group, and one penalty clock: a 429 seen by one worker pauses all.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type Redis from 'ioredis';

export interface StoredAuth {
	[key: string]: unknown;
	access_token?: string;
	refresh_token?: string;
	expire_time?: number;
	refresh_token_expire_time?: number;
}

export interface Coordinator {
	/** Waits for a free slot in the group's window; resolves with the ms waited, or rejects past the deadline. */
	acquire(group: string, deadline: number): Promise<number>;
	/** Records a platform penalty (429) for every process. */
	penalise(group: string, ms: number): Promise<void>;
	/** Remaining penalty in ms (0 when none). */
	penaltyRemaining(group: string): Promise<number>;
	/** Shared token store; `undefined` means process-local only. */
	readonly tokens?: SharedTokenStore;
}

export interface SharedTokenStore {
	read(): Promise<StoredAuth | undefined>;
	write(data: StoredAuth): Promise<void>;
	clear(): Promise<void>;
	/** Runs `work` holding the session lock; resolves false if the lock could not be had before the deadline. */
	withLock<T>(deadline: number, work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }>;
}

export class QueueTimeoutError extends Error {
	constructor(
		readonly group: string,
		readonly waitMs: number,
	) {
		super(`queued for the "${group}" rate-limit budget`);
	}
}

export interface Limits {
	/** Requests allowed per window, by group. A group without an entry is not paced. */
	perWindow: Record<string, number>;
	/**
	 * Pacing window. It is RingCentral's window plus a safety margin: our clock starts when a request leaves,
	 * RingCentral's when it arrives, and a request that travelled slowly must not make the window overlap.
	 */
	windowMs: number;
}

export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): Limits {
	const read = (name: string, fallback: number) => {
		const value = Number(env[name]);
		return Number.isFinite(value) && value > 0 ? value : fallback;
	};
	// RingCentral's documented defaults per user per app: Light 50, Medium 40 (SMS), Heavy 10 a minute.
	return {
		perWindow: {
			medium: read('N8N_RINGCENTRAL_SMS_PER_MINUTE', 40),
			light: read('N8N_RINGCENTRAL_LIGHT_PER_MINUTE', 50),
			heavy: read('N8N_RINGCENTRAL_HEAVY_PER_MINUTE', 10),
		},
		windowMs: withMargin(read('N8N_RINGCENTRAL_RATE_WINDOW_MS', 60_000)),
	};
}

function withMargin(windowMs: number): number {
	return Math.round(windowMs + Math.max(250, windowMs * 0.02));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Process-local sliding window and penalty clock. */
export class LocalCoordinator implements Coordinator {
	private readonly windows = new Map<string, number[]>();
	private readonly penalties = new Map<string, number>();

	constructor(private readonly limits: Limits) {}

	async acquire(group: string, deadline: number): Promise<number> {
		const limit = this.limits.perWindow[group];
		const started = Date.now();
		for (;;) {
			const now = Date.now();
			const penalty = (this.penalties.get(group) ?? 0) - now;
			let wait = penalty > 0 ? penalty : 0;
			if (wait === 0 && limit) {
				const log = (this.windows.get(group) ?? []).filter((t) => t > now - this.limits.windowMs);
				this.windows.set(group, log);
				if (log.length < limit) {
					log.push(now);
					return now - started;
				}
				wait = log[0] + this.limits.windowMs - now + 1;
			}
			if (wait === 0) return now - started;
			if (now + wait >= deadline) throw new QueueTimeoutError(group, wait);
			await sleep(Math.min(wait, 1000));
		}
	}

	async penalise(group: string, ms: number): Promise<void> {
		this.penalties.set(group, Math.max(this.penalties.get(group) ?? 0, Date.now() + ms));
	}

	async penaltyRemaining(group: string): Promise<number> {
		return Math.max(0, (this.penalties.get(group) ?? 0) - Date.now());
	}
}

// KEYS[1] window zset, KEYS[2] penalty key; ARGV: now, window ms, limit, member id.
// Returns 0 when a slot was taken, otherwise the ms to wait. One round trip per attempt.
const ACQUIRE_SCRIPT = `
local penalty = redis.call('PTTL', KEYS[2])
if penalty > 0 then return penalty end
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
if limit <= 0 then return 0 end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
`;

// Releases the lock only if we still own it.
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Redis-backed coordination shared by every process that uses the same Redis and prefix. */
export class RedisCoordinator implements Coordinator {
	readonly tokens: SharedTokenStore;
	private readonly base: string;

	constructor(
		private readonly redis: Redis,
		private readonly limits: Limits,
		prefix: string,
		credentialKey: string,
		tokenKeyMaterial: string,
	) {
		// The credential key is already a SHA-256 of the credential; hash again so the Redis key says nothing.
		this.base = `${prefix}${createHash('sha256').update(`rc:${credentialKey}`).digest('hex').slice(0, 32)}`;
		this.tokens = new RedisTokenStore(redis, `${this.base}:session`, tokenKeyMaterial);
	}

	async acquire(group: string, deadline: number): Promise<number> {
		const started = Date.now();
		const limit = this.limits.perWindow[group] ?? 0;
		for (;;) {
			const now = Date.now();
			const member = `${now}:${randomBytes(6).toString('hex')}`;
			const wait = Number(
				await this.redis.eval(ACQUIRE_SCRIPT, 2, `${this.base}:rl:${group}`, `${this.base}:penalty:${group}`, now, this.limits.windowMs, limit, member),
			);
			if (wait <= 0) return Date.now() - started;
			if (Date.now() + wait >= deadline) throw new QueueTimeoutError(group, wait);
			// Poll at most every second so a freed slot is noticed; jitter spreads workers apart.
			await sleep(Math.min(wait, 1000) + Math.floor(Math.random() * 25));
		}
	}

	async penalise(group: string, ms: number): Promise<void> {
		const key = `${this.base}:penalty:${group}`;
		const current = await this.redis.pttl(key);
		if (current < ms) await this.redis.set(key, '1', 'PX', Math.max(1, Math.round(ms)));
	}

	async penaltyRemaining(group: string): Promise<number> {
		return Math.max(0, await this.redis.pttl(`${this.base}:penalty:${group}`));
	}
}

class RedisTokenStore implements SharedTokenStore {
	private readonly key: Buffer;

	constructor(
		private readonly redis: Redis,
		private readonly redisKey: string,
		keyMaterial: string,
	) {
		this.key = createHash('sha256').update(`n8n-nodes-ringcentral-sms token store\u0000${keyMaterial}`).digest();
	}

	async read(): Promise<StoredAuth | undefined> {
		const raw = await this.redis.get(this.redisKey);
		if (!raw) return undefined;
		try {
			const [iv, tag, data] = raw.split('.').map((p) => Buffer.from(p, 'base64'));
			const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
			decipher.setAuthTag(tag);
			return JSON.parse(Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8')) as StoredAuth;
		} catch {
			// Written with other credential values (or tampered with): not ours to use.
			return undefined;
		}
	}

	async write(data: StoredAuth): Promise<void> {
		const iv = randomBytes(12);
		const cipher = createCipheriv('aes-256-gcm', this.key, iv);
		const body = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
		const value = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64')).join('.');
		const refreshExpiry = Number(data.refresh_token_expire_time ?? 0);
		const ttl = refreshExpiry > Date.now() ? refreshExpiry - Date.now() : 7 * 24 * 3600_000;
		await this.redis.set(this.redisKey, value, 'PX', Math.max(1000, Math.round(ttl)));
	}

	async clear(): Promise<void> {
		await this.redis.del(this.redisKey);
	}

	async withLock<T>(deadline: number, work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
		const lockKey = `${this.redisKey}:lock`;
		const owner = randomBytes(12).toString('hex');
		const acquired = await this.redis.set(lockKey, owner, 'PX', 20_000, 'NX');
		if (acquired !== 'OK') {
			// Someone else is logging in or refreshing: let them finish, then the caller re-reads the store.
			while (Date.now() < deadline && (await this.redis.exists(lockKey))) await sleep(50);
			return { ok: false };
		}
		try {
			return { ok: true, value: await work() };
		} finally {
			await this.redis.eval(RELEASE_SCRIPT, 1, lockKey, owner).catch(() => undefined);
		}
	}
}
