/** Both stores behind one interface for the shared behaviour tests. */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { MemoryOtpStore, OtpService, Pepper, RedisOtpStore, type OtpStore } from '../../../lib/otp';

export const PEPPER = 'a3f1c2d4e5b6978812345678deadbeefcafebabe0011223344556677889900aa';

export interface StoreFixture {
	name: 'memory' | 'redis';
	store: OtpStore;
	service: OtpService;
	/** Let time pass on the store's clock (a fake one, unless the fixture uses Redis's own clock). */
	advance(ms: number): Promise<void>;
	/** The store's current time (ms). */
	clock(): number;
	/** Every key and value this fixture wrote (Redis only). */
	dump(): Promise<string>;
	close(): Promise<void>;
}

export function memoryFixture(): StoreFixture {
	let now = 1_700_000_000_000;
	const store = new MemoryOtpStore({ now: () => now, sweepIntervalMs: 0 });
	return {
		name: 'memory',
		store,
		service: new OtpService(store, new Pepper(PEPPER)),
		advance: async (ms) => {
			now += ms;
		},
		clock: () => now,
		dump: async () => {
			const internals = store as unknown as { entries: Map<string, unknown>; failureRecords: Map<string, unknown>; enrolments: Map<string, unknown> };
			return JSON.stringify([...internals.entries, ...internals.failureRecords, ...internals.enrolments]);
		},
		close: () => store.close(),
	};
}

/**
 * Real Redis on 127.0.0.1:6379 under a key prefix of its own (deleted on close). By default the scripts
 * get a fake clock so hours can pass instantly; `realClock` keeps Redis's own `TIME` and waits for real.
 */
export function redisFixture(realClock = false): StoreFixture {
	const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
	const prefix = `test-otp-${process.pid}-${randomBytes(4).toString('hex')}:`;
	let now = Date.now();
	const store = new RedisOtpStore(redis, { keyPrefix: prefix, now: realClock ? undefined : () => now });
	const keys = async () => {
		const found: string[] = [];
		let cursor = '0';
		do {
			const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
			cursor = next;
			found.push(...batch);
		} while (cursor !== '0');
		return found;
	};
	return {
		name: 'redis',
		store,
		service: new OtpService(store, new Pepper(PEPPER)),
		advance: realClock
			? (ms) => new Promise((resolve) => setTimeout(resolve, ms))
			: async (ms) => {
					now += ms;
				},
		clock: () => (realClock ? Date.now() : now),
		dump: async () => {
			const out: Array<[string, Record<string, string>]> = [];
			for (const key of await keys()) out.push([key, await redis.hgetall(key)]);
			return JSON.stringify(out);
		},
		close: async () => {
			const all = await keys();
			if (all.length) await redis.del(...all);
			await redis.quit();
		},
	};
}

export const FIXTURES: Array<[string, () => StoreFixture]> = [
	['memory', memoryFixture],
	['redis', () => redisFixture()],
];

/** Policy for tests: no cooldown unless a test sets one. */
export const FAST = { cooldownMs: 0 } as const;
