/** Both stores behind one interface for the shared behaviour tests. */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { MemoryOtpStore, OtpService, Pepper, RedisOtpStore, type OtpStore } from '../../../lib/otp';

export const PEPPER = 'a3f1c2d4e5b6978812345678deadbeefcafebabe0011223344556677889900aa';

export interface StoreFixture {
	name: 'memory' | 'redis';
	store: OtpStore;
	service: OtpService;
	/** Let time pass: a fake clock for memory, a real wait for Redis (whose clock is its own). */
	advance(ms: number): Promise<void>;
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
		dump: async () => JSON.stringify(Array.from((store as unknown as { entries: Map<string, unknown> }).entries)),
		close: () => store.close(),
	};
}

export function redisFixture(): StoreFixture {
	const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
	const prefix = `test-otp-${process.pid}-${randomBytes(4).toString('hex')}:`;
	const store = new RedisOtpStore(redis, { keyPrefix: prefix });
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
		advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
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
	['redis', redisFixture],
];

/** Policy for tests: no cooldown unless a test sets one. */
export const FAST = { cooldownMs: 0 } as const;
