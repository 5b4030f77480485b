/**
 * What several executions — and, in queue mode, several n8n processes — share for one credential: the
 * RingCentral session (tokens) and, per rate-limit group, one budget and one queue.
 *
 * The budget follows the platform: it starts from the documented numbers, takes limit and window from every
 * response's `X-Rate-Limit-*` headers, counts what other clients of the same user spent (`-Remaining`) and
 * stops everyone for a 429's `Retry-After`. Requests wait in a first-come-first-served queue; one that would
 * wait longer than its caller allows is refused at once, with the queue depth in words.
 *
 * A slot counts from the moment its answer arrives, which is never before RingCentral counted the request:
 * reusing it one window (plus a small margin) later can never overlap RingCentral's own window.
 *
 * Without Redis all of it is process-local. With Redis every process uses the same keys (clock: Redis
 * `TIME`), so the cluster logs in once and spends one budget.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { safetyMarginMs, startingBudgets, type Budget, type StatedBudget } from './limits';

export type RedisClient = Redis | Cluster;

export interface StoredAuth {
	[key: string]: unknown;
	access_token?: string;
	refresh_token?: string;
	expire_time?: number;
	refresh_token_expire_time?: number;
}

/** A granted place in the group's window. */
export interface Slot {
	/** The request got an answer (or may have reached RingCentral): the slot counts from now. */
	used(): Promise<void>;
	/** The request never left (no token, aborted before sending): give the slot back. */
	unused(): Promise<void>;
}

export interface Coordinator {
	/**
	 * Waits in the group's queue for a slot. `until` is the latest moment the slot may be granted; `holdMs`
	 * bounds how long the request can take (a slot whose holder vanished is freed after it). Rejects with a
	 * QueueTimeoutError, at once, when the wait is longer than `until` allows.
	 */
	acquire(group: string, until: number, holdMs: number): Promise<Slot>;
	/** Takes what a response stated about its group's budget. */
	observe(stated: StatedBudget): Promise<void>;
	/** Records a platform penalty (429) for every process; concurrent penalties merge to the longest. */
	penalise(group: string, ms: number): Promise<void>;
	/** The budget currently assumed for a group. */
	budget(group: string): Promise<Budget>;
	/** Shared token store; `undefined` means process-local only. */
	readonly tokens?: SharedTokenStore;
}

export interface SharedTokenStore {
	read(): Promise<StoredAuth | undefined>;
	write(data: StoredAuth): Promise<void>;
	/** Runs `work` holding the session lock (renewed while held); `{ok:false}` if it was not free before `deadline`. */
	withLock<T>(deadline: number, work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }>;
}

export class QueueTimeoutError extends Error {
	constructor(
		readonly group: string,
		/** Estimated wait for this request's slot. */
		readonly waitMs: number,
		/** Requests queued ahead of this one. */
		readonly ahead: number,
		readonly budget: Budget,
		readonly penalty: boolean,
	) {
		super(`queued for the "${group}" rate-limit budget`);
	}
}

/**
 * When the request at `position` in the queue (0 = first) gets a slot: the first free slots go at once, the
 * next ones as the oldest answered slots age out, and every `limit` positions further add one window.
 */
export function estimateGrantTime(input: {
	now: number;
	/** When each slot in the window counts from, ascending. */
	sorted: number[];
	limit: number;
	windowMs: number;
	position: number;
	penaltyUntil: number;
}): number {
	const { now, limit, position } = input;
	const span = input.windowMs + safetyMarginMs(input.windowMs);
	const { sorted } = input;
	const free = Math.max(0, limit - sorted.length);
	const round = Math.floor(position / limit);
	const index = position % limit;
	const first = index < free ? now : (sorted[index - free] ?? now) + span;
	return Math.max(first + round * span, input.penaltyUntil, now);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Waiter {
	until: number;
	holdMs: number;
	resolve(slot: Slot): void;
	reject(error: Error): void;
}

class LocalGroup {
	budget: Budget;
	/** Slot id → the moment it counts from (in flight: the latest moment its answer can arrive). */
	readonly slots = new Map<number, number>();
	readonly queue: Waiter[] = [];
	penaltyUntil = 0;
	timer?: NodeJS.Timeout;

	constructor(
		readonly name: string,
		budget: Budget,
	) {
		this.budget = { ...budget };
	}
}

/** Process-local budgets, queues and penalty clocks. */
export class LocalCoordinator implements Coordinator {
	private readonly groups = new Map<string, LocalGroup>();
	private nextSlot = 1;

	constructor(
		private readonly starting: Record<string, Budget> = startingBudgets(),
		private readonly now: () => number = Date.now,
	) {}

	private group(name: string): LocalGroup {
		let group = this.groups.get(name);
		if (!group) {
			group = new LocalGroup(name, this.starting[name] ?? this.starting.light);
			this.groups.set(name, group);
		}
		return group;
	}

	async acquire(name: string, until: number, holdMs: number): Promise<Slot> {
		const group = this.group(name);
		return await new Promise<Slot>((resolve, reject) => {
			group.queue.push({ until, holdMs, resolve, reject });
			this.pump(group);
		});
	}

	private expire(group: LocalGroup, now: number): void {
		const span = group.budget.windowMs + safetyMarginMs(group.budget.windowMs);
		for (const [id, from] of group.slots) if (from + span <= now) group.slots.delete(id);
	}

	/** Grants what can be granted, refuses who cannot wait long enough, and wakes up when the next slot frees. */
	private pump(group: LocalGroup): void {
		if (group.timer) clearTimeout(group.timer);
		group.timer = undefined;
		const now = this.now();
		this.expire(group, now);
		while (group.queue.length && group.penaltyUntil <= now && group.slots.size < group.budget.limit) {
			const waiter = group.queue.shift() as Waiter;
			waiter.resolve(this.grant(group, now + waiter.holdMs));
		}
		// A slot still in flight is assumed answered now: the estimate is optimistic, so nobody is refused early.
		const sorted = Array.from(group.slots.values(), (from) => Math.min(from, now)).sort((a, b) => a - b);
		let position = 0;
		for (const waiter of [...group.queue]) {
			const at = estimateGrantTime({ now, sorted, ...group.budget, position, penaltyUntil: group.penaltyUntil });
			if (at > waiter.until) {
				group.queue.splice(group.queue.indexOf(waiter), 1);
				waiter.reject(new QueueTimeoutError(group.name, at - now, position, { ...group.budget }, group.penaltyUntil > now));
			} else position++;
		}
		if (!group.queue.length) return;
		const next = estimateGrantTime({ now, sorted, ...group.budget, position: 0, penaltyUntil: group.penaltyUntil });
		group.timer = setTimeout(() => this.pump(group), Math.min(Math.max(1, next - now), 1000));
	}

	private grant(group: LocalGroup, latest: number): Slot {
		const id = this.nextSlot++;
		group.slots.set(id, latest);
		let settled = false;
		const settle = (keep: boolean) => {
			if (settled) return;
			settled = true;
			if (keep) group.slots.set(id, this.now());
			else group.slots.delete(id);
			this.pump(group);
		};
		return { used: async () => settle(true), unused: async () => settle(false) };
	}

	async observe(stated: StatedBudget): Promise<void> {
		const group = this.group(stated.group);
		if (stated.limit) group.budget.limit = stated.limit;
		if (stated.windowMs) group.budget.windowMs = stated.windowMs;
		if (stated.remaining !== undefined) {
			const now = this.now();
			this.expire(group, now);
			const used = Math.max(0, Math.min(group.budget.limit, group.budget.limit - stated.remaining));
			// Others (another app instance, a person's phone app) spent part of the budget: count their share.
			for (let i = group.slots.size; i < used; i++) group.slots.set(this.nextSlot++, now);
			// Nothing of ours in flight: every slot we hold was counted before this answer, so RingCentral's
			// count bounds ours (its window moved on, or it forgot). Keep the newest, which free last.
			// Only for Auth, whose requests go one at a time: elsewhere a request answered after this one
			// was sent may not be in RingCentral's count yet.
			const inFlight = Array.from(group.slots.values()).some((from) => from > now);
			if (stated.group === 'auth' && !inFlight && group.slots.size > used) {
				const oldest = Array.from(group.slots.entries()).sort((a, b) => a[1] - b[1]);
				for (const [id] of oldest.slice(0, group.slots.size - used)) group.slots.delete(id);
			}
		}
		this.pump(group);
	}

	async penalise(name: string, ms: number): Promise<void> {
		const group = this.group(name);
		group.penaltyUntil = Math.max(group.penaltyUntil, this.now() + ms);
		this.pump(group);
	}

	async budget(name: string): Promise<Budget> {
		return { ...this.group(name).budget };
	}
}

// Redis-side logic. Every script reads the clock with TIME, so all hosts share one clock; all keys of one
// credential carry the same {hash tag}, so the scripts also run on a Redis Cluster.
// KEYS: 1 slots zset, 2 queue zset (ticket → arrival number), 3 heartbeat zset, 4 penalty key, 5 budget hash,
// 6 arrival counter (a clock could give two arrivals the same millisecond).
const LUA_CLOCK = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
const LUA_BUDGET = `
local limit = tonumber(redis.call('HGET', KEYS[5], 'limit') or ARGV[1])
local window = tonumber(redis.call('HGET', KEYS[5], 'window') or ARGV[2])
local span = window + math.max(200, math.floor(window * 0.005 + 0.5))
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - span)`;

// ARGV: 1 default limit, 2 default window, 3 ticket, 4 hold ms, 5 slot id.
// Returns {granted, waitMs, position, limit, window, penaltyMs}.
const ACQUIRE_SCRIPT = `${LUA_CLOCK}${LUA_BUDGET}
local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - 10000)
for _, ticket in ipairs(stale) do redis.call('ZREM', KEYS[2], ticket) redis.call('ZREM', KEYS[3], ticket) end
if not redis.call('ZSCORE', KEYS[2], ARGV[3]) then
  redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[6]), ARGV[3])
  redis.call('PEXPIRE', KEYS[6], 86400000)
end
redis.call('ZADD', KEYS[3], now, ARGV[3])
redis.call('PEXPIRE', KEYS[2], 60000) redis.call('PEXPIRE', KEYS[3], 60000)
local penalty = math.max(0, redis.call('PTTL', KEYS[4]))
local used = redis.call('ZCARD', KEYS[1])
local free = math.max(0, limit - used)
local position = redis.call('ZRANK', KEYS[2], ARGV[3])
if penalty == 0 and position < free then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[5])
  redis.call('PEXPIRE', KEYS[1], span + tonumber(ARGV[4]))
  redis.call('ZREM', KEYS[2], ARGV[3]) redis.call('ZREM', KEYS[3], ARGV[3])
  return {1, 0, position, limit, window, 0}
end
local scores = redis.call('ZRANGE', KEYS[1], 0, limit - 1, 'WITHSCORES')
local round = math.floor(position / limit)
local index = position % limit
local first = now
if index >= free then first = math.min(now, tonumber(scores[(index - free) * 2 + 2] or now)) + span end
local at = math.max(first + round * span, now + penalty)
return {0, at - now, position, limit, window, penalty}`;

// KEYS: 1 slots, 2 queue, 3 heartbeat. ARGV: 1 ticket.
const LEAVE_SCRIPT = `redis.call('ZREM', KEYS[2], ARGV[1]) redis.call('ZREM', KEYS[3], ARGV[1]) return 0`;

// KEYS: 1 slots. ARGV: 1 slot id, 2 keep (1) or give back (0).
const SETTLE_SCRIPT = `${LUA_CLOCK}
if ARGV[2] == '1' then redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1]) else redis.call('ZREM', KEYS[1], ARGV[1]) end
return 0`;

// KEYS as for acquire. ARGV: 1 default limit, 2 default window, 3 stated limit or '', 4 stated window or '', 5 remaining or '', 6 id prefix.
const OBSERVE_SCRIPT = `${LUA_CLOCK}
if ARGV[3] ~= '' then redis.call('HSET', KEYS[5], 'limit', ARGV[3]) end
if ARGV[4] ~= '' then redis.call('HSET', KEYS[5], 'window', ARGV[4]) end
redis.call('PEXPIRE', KEYS[5], 86400000)
${LUA_BUDGET}
if ARGV[5] ~= '' then
  local used = math.max(0, math.min(limit, limit - tonumber(ARGV[5])))
  local held = redis.call('ZCARD', KEYS[1])
  local missing = used - held
  for i = 1, missing do redis.call('ZADD', KEYS[1], now, ARGV[6] .. ':' .. i) end
  if missing > 0 then redis.call('PEXPIRE', KEYS[1], span + 60000) end
  -- Nothing in flight (in-flight slots are dated in the future): RingCentral's count bounds ours.
  if ARGV[7] == 'auth' and missing < 0 and redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf') == 0 then
    redis.call('ZREMRANGEBYRANK', KEYS[1], 0, held - used - 1)
  end
end
return 0`;

// KEYS: 1 penalty. ARGV: 1 ms. Never shortens a running penalty.
const PENALISE_SCRIPT = `if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end return 0`;

// KEYS: 1 lock. ARGV: 1 owner, 2 ttl ms.
const RENEW_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/** Longer than any token request may take (session.ts bounds those), and renewed while held anyway. */
const LOCK_TTL_MS = 20_000;

/** Redis key prefix of one credential: hashed twice, so the key says nothing about the credential. */
export function credentialBase(prefix: string, credentialKey: string): string {
	return `${prefix}{${createHash('sha256').update(`rc:${credentialKey}`).digest('hex').slice(0, 32)}}`;
}

/** Redis-backed coordination shared by every process that uses the same Redis and prefix. */
export class RedisCoordinator implements Coordinator {
	readonly tokens: SharedTokenStore;
	private readonly base: string;

	constructor(
		private readonly redis: RedisClient,
		prefix: string,
		credentialKey: string,
		tokenKeyMaterial: string,
		private readonly starting: Record<string, Budget> = startingBudgets(),
		lockTtlMs = LOCK_TTL_MS,
	) {
		this.base = credentialBase(prefix, credentialKey);
		this.tokens = new RedisTokenStore(redis, `${this.base}:session`, tokenKeyMaterial, lockTtlMs);
	}

	private keys(group: string): string[] {
		const g = `${this.base}:${group}`;
		return [`${g}:slots`, `${g}:queue`, `${g}:beat`, `${g}:penalty`, `${g}:budget`, `${g}:seq`];
	}

	private defaults(group: string): Budget {
		return this.starting[group] ?? this.starting.light;
	}

	async acquire(group: string, until: number, holdMs: number): Promise<Slot> {
		const keys = this.keys(group);
		const start = this.defaults(group);
		const ticket = randomBytes(9).toString('base64url');
		const slotId = randomBytes(9).toString('base64url');
		const started = Date.now();
		try {
			for (;;) {
				const [granted, waitMs, position, limit, windowMs, penaltyMs] = (await this.redis.eval(
					ACQUIRE_SCRIPT,
					keys.length,
					...keys,
					start.limit,
					start.windowMs,
					ticket,
					Math.max(1000, Math.round(holdMs)),
					slotId,
				)) as number[];
				if (granted === 1) return this.slot(keys[0], slotId);
				// `until` is in this host's clock; the wait is a duration, so clocks need not agree.
				if (Date.now() + waitMs > until) {
					throw new QueueTimeoutError(group, waitMs, position, { limit, windowMs }, penaltyMs > 0);
				}
				// Re-check at most every second: the queue moves when slots are answered or waiters give up.
				await sleep(Math.min(Math.max(waitMs, 5), 1000) + Math.floor(Math.random() * 10));
				if (Date.now() - started > 24 * 3600_000) throw new QueueTimeoutError(group, waitMs, position, { limit, windowMs }, false);
			}
		} catch (error) {
			await this.redis.eval(LEAVE_SCRIPT, 3, keys[0], keys[1], keys[2], ticket).catch(() => undefined);
			throw error;
		}
	}

	private slot(key: string, id: string): Slot {
		let settled = false;
		const settle = async (keep: boolean) => {
			if (settled) return;
			settled = true;
			await this.redis.eval(SETTLE_SCRIPT, 1, key, id, keep ? '1' : '0');
		};
		return { used: () => settle(true), unused: () => settle(false) };
	}

	async observe(stated: StatedBudget): Promise<void> {
		const keys = this.keys(stated.group);
		const start = this.defaults(stated.group);
		await this.redis.eval(
			OBSERVE_SCRIPT,
			keys.length,
			...keys,
			start.limit,
			start.windowMs,
			stated.limit ?? '',
			stated.windowMs ?? '',
			stated.remaining ?? '',
			`elsewhere:${randomBytes(6).toString('base64url')}`,
			stated.group,
		);
	}

	async penalise(group: string, ms: number): Promise<void> {
		await this.redis.eval(PENALISE_SCRIPT, 1, this.keys(group)[3], Math.max(1, Math.round(ms)));
	}

	async budget(group: string): Promise<Budget> {
		const start = this.defaults(group);
		const stated = await this.redis.hmget(this.keys(group)[4], 'limit', 'window');
		return { limit: Number(stated[0] ?? start.limit), windowMs: Number(stated[1] ?? start.windowMs) };
	}
}

class RedisTokenStore implements SharedTokenStore {
	private readonly key: Buffer;

	constructor(
		private readonly redis: RedisClient,
		private readonly redisKey: string,
		keyMaterial: string,
		private readonly lockTtlMs: number,
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

	async withLock<T>(deadline: number, work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
		const lockKey = `${this.redisKey}:lock`;
		const owner = randomBytes(12).toString('hex');
		const acquired = await this.redis.set(lockKey, owner, 'PX', this.lockTtlMs, 'NX');
		if (acquired !== 'OK') {
			// Someone else is logging in or refreshing: let them finish, then the caller re-reads the store.
			while (Date.now() < deadline && (await this.redis.exists(lockKey))) await sleep(50);
			return { ok: false };
		}
		// Renewed while the work runs, so a slow login cannot outlive the lock and let a second one start.
		const renew = setInterval(() => {
			this.redis.eval(RENEW_SCRIPT, 1, lockKey, owner, this.lockTtlMs).catch(() => undefined);
		}, this.lockTtlMs / 4);
		try {
			return { ok: true, value: await work() };
		} finally {
			clearInterval(renew);
			await this.redis.eval(RELEASE_SCRIPT, 1, lockKey, owner).catch(() => undefined);
		}
	}
}
