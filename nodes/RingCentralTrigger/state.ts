/**
 * What the RingCentral Trigger remembers, and where.
 *
 * - The verification token and the subscription id: the node's static data (saved by n8n when the
 *   workflow is published, loaded by every process from the database), mirrored in the store below.
 * - Which events and messages were already emitted (dedupe by event `uuid` and by message id), the
 *   catch-up cursor (creation time of the newest message handled), the current subscription (the
 *   supervisor may replace it between executions) and "catch-up pending":
 *   - Redis, when `N8N_RINGCENTRAL_REDIS_URL` is set or n8n runs in queue mode (then n8n's own
 *     `QUEUE_BULL_REDIS_*` settings are used): atomic claims (SET NX) shared by every main, webhook and
 *     worker process, so two processes can never both emit one message.
 *   - Otherwise this process's memory (one n8n process holds every webhook then), copied into the static
 *     data on every delivery so it survives a restart. Static data alone is not enough: n8n writes it back
 *     whole after each execution, and concurrent executions overwrite each other.
 */
import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import type { IDataObject } from 'n8n-workflow';
import { redisPrefixFromEnv, redisUrlFromEnv } from '../../lib/redisEnv';

export interface SubscriptionRecord {
	id: string;
	expiresAt: number;
}

export interface TriggerStore {
	readonly kind: 'redis' | 'memory';
	/** True the first time this id is claimed (then it must be emitted), false ever after. */
	claim(kind: 'event' | 'message', id: string): Promise<boolean>;
	cursor(): Promise<number | undefined>;
	/** Moves the cursor forward only. */
	advance(time: number): Promise<void>;
	subscription(): Promise<SubscriptionRecord | undefined>;
	setSubscription(record: SubscriptionRecord | undefined): Promise<void>;
	catchUpPending(): Promise<boolean>;
	setCatchUpPending(pending: boolean): Promise<void>;
	/** A lock held by one process of the cluster at a time; undefined when someone else holds it. */
	lock(name: string, ttlMs: number): Promise<(() => Promise<void>) | undefined>;
	/** Forgets everything (the workflow was unpublished). */
	clear(): Promise<void>;
}

/** The fields this node keeps in its static data. */
export interface TriggerStaticData {
	verificationToken?: string;
	subscriptionId?: string;
	expiresAt?: number;
	cursor?: number;
	/** Recently emitted message ids with their creation time (bounded), for the restart case without Redis. */
	seen?: Array<[string, number]>;
	catchUpPending?: boolean;
}

const EVENT_TTL_SECONDS = 24 * 3600;
const MESSAGE_TTL_SECONDS = 8 * 24 * 3600;
/** Seen message ids older than the cursor by more than this are dropped from the static-data copy. */
const SEEN_KEEP_MS = 30 * 60_000;
const SEEN_MAX = 2000;

export function stateKey(address: string): string {
	return createHash('sha256').update(address).digest('hex').slice(0, 32);
}

// ---------- memory (one n8n process) ----------

interface MemoryState {
	events: Map<string, number>;
	messages: Map<string, number>;
	cursor?: number;
	subscription?: SubscriptionRecord;
	catchUpPending: boolean;
	locks: Set<string>;
}

const memory = new Map<string, MemoryState>();

class MemoryStore implements TriggerStore {
	readonly kind = 'memory' as const;
	constructor(
		private readonly state: MemoryState,
		private readonly staticData: TriggerStaticData | undefined,
	) {}

	private mirror(): void {
		const data = this.staticData;
		if (!data) return;
		data.cursor = this.state.cursor;
		data.catchUpPending = this.state.catchUpPending;
		if (this.state.subscription) {
			data.subscriptionId = this.state.subscription.id;
			data.expiresAt = this.state.subscription.expiresAt;
		}
		const floor = (this.state.cursor ?? 0) - SEEN_KEEP_MS;
		data.seen = [...this.state.messages.entries()].filter(([, t]) => t >= floor).slice(-SEEN_MAX);
	}

	async claim(kind: 'event' | 'message', id: string): Promise<boolean> {
		const map = kind === 'event' ? this.state.events : this.state.messages;
		if (map.has(id)) return false;
		map.set(id, Date.now());
		prune(map, kind === 'event' ? EVENT_TTL_SECONDS : MESSAGE_TTL_SECONDS);
		this.mirror();
		return true;
	}
	async cursor() {
		return this.state.cursor;
	}
	async advance(time: number) {
		if (this.state.cursor === undefined || time > this.state.cursor) this.state.cursor = time;
		this.mirror();
	}
	async subscription() {
		return this.state.subscription;
	}
	async setSubscription(record: SubscriptionRecord | undefined) {
		this.state.subscription = record;
		this.mirror();
	}
	async catchUpPending() {
		return this.state.catchUpPending;
	}
	async setCatchUpPending(pending: boolean) {
		this.state.catchUpPending = pending;
		this.mirror();
	}
	async lock(name: string) {
		if (this.state.locks.has(name)) return undefined;
		this.state.locks.add(name);
		return async () => {
			this.state.locks.delete(name);
		};
	}
	async clear() {
		this.state.events.clear();
		this.state.messages.clear();
		this.state.cursor = undefined;
		this.state.subscription = undefined;
		this.state.catchUpPending = false;
	}
}

function prune(map: Map<string, number>, ttlSeconds: number): void {
	if (map.size < 5000) return;
	const floor = Date.now() - ttlSeconds * 1000;
	for (const [id, at] of map) if (at < floor || map.size > 20000) map.delete(id);
}

/** Memory state of one trigger, seeded from its static data the first time this process sees it. */
function memoryState(key: string, staticData: TriggerStaticData | undefined): MemoryState {
	let state = memory.get(key);
	if (!state) {
		state = { events: new Map(), messages: new Map(), catchUpPending: false, locks: new Set() };
		memory.set(key, state);
		if (staticData) {
			state.cursor = staticData.cursor;
			state.catchUpPending = !!staticData.catchUpPending;
			for (const [id, t] of staticData.seen ?? []) state.messages.set(id, t);
			if (staticData.subscriptionId) state.subscription = { id: staticData.subscriptionId, expiresAt: staticData.expiresAt ?? 0 };
		}
	}
	return state;
}

// ---------- Redis (queue mode, several processes) ----------

const ADVANCE = `local c = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > c then redis.call('SET', KEYS[1], ARGV[1]) end
return 1`;

class RedisStore implements TriggerStore {
	readonly kind = 'redis' as const;
	constructor(
		private readonly redis: Redis,
		private readonly prefix: string,
		private readonly staticData: TriggerStaticData | undefined,
	) {}

	private k(name: string): string {
		return `${this.prefix}${name}`;
	}
	async claim(kind: 'event' | 'message', id: string) {
		const ttl = kind === 'event' ? EVENT_TTL_SECONDS : MESSAGE_TTL_SECONDS;
		return (await this.redis.set(this.k(`${kind}:${id}`), '1', 'EX', ttl, 'NX')) === 'OK';
	}
	async cursor() {
		const raw = await this.redis.get(this.k('cursor'));
		const value = raw === null ? this.staticData?.cursor : Number(raw);
		return value === undefined || !Number.isFinite(value) ? undefined : value;
	}
	async advance(time: number) {
		await this.redis.eval(ADVANCE, 1, this.k('cursor'), String(Math.floor(time)));
		if (this.staticData && (this.staticData.cursor ?? -1) < time) this.staticData.cursor = time;
	}
	async subscription() {
		const raw = await this.redis.get(this.k('subscription'));
		if (raw) return JSON.parse(raw) as SubscriptionRecord;
		return this.staticData?.subscriptionId ? { id: this.staticData.subscriptionId, expiresAt: this.staticData.expiresAt ?? 0 } : undefined;
	}
	async setSubscription(record: SubscriptionRecord | undefined) {
		if (record) await this.redis.set(this.k('subscription'), JSON.stringify(record));
		else await this.redis.del(this.k('subscription'));
		if (this.staticData && record) {
			this.staticData.subscriptionId = record.id;
			this.staticData.expiresAt = record.expiresAt;
		}
	}
	async catchUpPending() {
		return (await this.redis.get(this.k('catchUpPending'))) === '1';
	}
	async setCatchUpPending(pending: boolean) {
		if (pending) await this.redis.set(this.k('catchUpPending'), '1');
		else await this.redis.del(this.k('catchUpPending'));
	}
	async lock(name: string, ttlMs: number) {
		const token = `${process.pid}:${Math.random()}`;
		const key = this.k(`lock:${name}`);
		if ((await this.redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
		return async () => {
			await this.redis.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, 1, key, token);
		};
	}
	async clear() {
		let cursor = '0';
		do {
			const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 500);
			cursor = next;
			if (keys.length) await this.redis.del(...keys);
		} while (cursor !== '0');
	}
}

const connections = new Map<string, Redis>();

function redisFor(url: string): Redis {
	let redis = connections.get(url);
	if (!redis) {
		redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
		// Trouble is reported by the commands that need Redis; an unhandled 'error' event would crash n8n.
		redis.on('error', () => undefined);
		connections.set(url, redis);
	}
	return redis;
}

/** The store for one trigger (identified by its webhook address), bound to this execution's static data. */
export function triggerStore(address: string, staticData?: TriggerStaticData): TriggerStore {
	const key = stateKey(address);
	const url = redisUrlFromEnv();
	if (url) {
		const prefix = `${redisPrefixFromEnv()}trigger:${key}:`;
		return new RedisStore(redisFor(url), prefix, staticData);
	}
	return new MemoryStore(memoryState(key, staticData), staticData);
}

/** The node's static data, typed. */
export function staticDataOf(data: IDataObject): TriggerStaticData {
	return data as unknown as TriggerStaticData;
}

/** For tests: forget the memory state and close Redis connections. */
export async function resetTriggerState(): Promise<void> {
	memory.clear();
	await Promise.all([...connections.values()].map((r) => r.quit().catch(() => r.disconnect())));
	connections.clear();
}
