/**
 * The budget and queue per rate-limit group, process-local and in Redis (as several workers see it): first
 * come first served, learning from the platform's headers, refusing in advance what cannot wait long
 * enough, penalties merged to the longest, and the session lock.
 */
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { LocalCoordinator, QueueTimeoutError, RedisCoordinator, estimateGrantTime, type Coordinator } from '../../../lib/ringcentral/coordination';

const prefix = `test-rc-coord-${randomBytes(4).toString('hex')}:`;
let redis: Redis;

beforeAll(() => {
	redis = new Redis('redis://127.0.0.1:6379/0');
});

afterAll(async () => {
	const keys = await redis.keys(`${prefix}*`);
	if (keys.length) await redis.del(...keys);
	await redis.quit();
});

const starting = { medium: { limit: 3, windowMs: 400 }, light: { limit: 3, windowMs: 400 }, auth: { limit: 5, windowMs: 60_000 } };
const soon = () => Date.now() + 30_000;

async function refusal(promise: Promise<unknown>): Promise<QueueTimeoutError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof QueueTimeoutError) return error;
		throw error;
	}
	throw new Error('expected a QueueTimeoutError');
}

describe.each([
	['local', (): Coordinator => new LocalCoordinator(starting)],
	['redis', (): Coordinator => new RedisCoordinator(redis, prefix, randomBytes(8).toString('hex'), 'secret-material', starting)],
] as const)('%s coordinator', (_name, make) => {
	it('grants the budget, then serves the queue in arrival order as slots age out', async () => {
		const coordinator = make();
		for (let i = 0; i < 3; i++) {
			await (await coordinator.acquire('medium', soon(), 5000)).used();
			await new Promise((r) => setTimeout(r, 150));
		}
		const order: number[] = [];
		await Promise.all(
			[0, 1, 2, 3].map(async (i) => {
				await new Promise((r) => setTimeout(r, i * 30));
				const slot = await coordinator.acquire('medium', soon(), 5000);
				order.push(i);
				await slot.used();
			}),
		);
		expect(order).toEqual([0, 1, 2, 3]);
	});

	it('refuses at once, with the depth of the queue, a request that would wait longer than allowed', async () => {
		const coordinator = make();
		for (let i = 0; i < 3; i++) await (await coordinator.acquire('medium', soon(), 5000)).used();
		const queued = [coordinator.acquire('medium', soon(), 5000), coordinator.acquire('medium', soon(), 5000)];
		await new Promise((r) => setTimeout(r, 30));
		const error = await refusal(coordinator.acquire('medium', Date.now() + 20, 5000));
		expect(error.ahead).toBe(2);
		expect(error.budget).toEqual({ limit: 3, windowMs: 400 });
		expect(error.penalty).toBe(false);
		for (const slot of await Promise.all(queued)) await slot.used();
	});

	it('learns limit and window from the headers and counts what other clients spent', async () => {
		const coordinator = make();
		await coordinator.observe({ group: 'medium', limit: 6, windowMs: 30_000, remaining: 4 });
		expect(await coordinator.budget('medium')).toEqual({ limit: 6, windowMs: 30_000 });
		// 2 of 6 were spent elsewhere: 4 go at once, the 5th would wait for the 30 s window.
		for (let i = 0; i < 4; i++) await (await coordinator.acquire('medium', Date.now() + 200, 5000)).used();
		const error = await refusal(coordinator.acquire('medium', Date.now() + 200, 5000));
		expect(error.waitMs).toBeGreaterThan(20_000);
	});

	it("Auth, nothing in flight: RingCentral's lower count frees our slots (its window moved on); in flight, it does not", async () => {
		const coordinator = make();
		await coordinator.observe({ group: 'auth', limit: 3, windowMs: 60_000 });
		for (let i = 0; i < 3; i++) await (await coordinator.acquire('auth', soon(), 5000)).used();
		await coordinator.observe({ group: 'auth', limit: 3, windowMs: 60_000, remaining: 2 });
		const flying = await coordinator.acquire('auth', Date.now() + 100, 5000);
		await coordinator.acquire('auth', Date.now() + 100, 5000);
		// Two in flight now: a stale "remaining" must not free anything.
		await coordinator.observe({ group: 'auth', limit: 3, windowMs: 60_000, remaining: 2 });
		await expect(coordinator.acquire('auth', Date.now() + 50, 5000)).rejects.toBeInstanceOf(QueueTimeoutError);
		await flying.used();
	});

	it('a slot given back (the request never left) is free again at once', async () => {
		const coordinator = make();
		const slots = [];
		for (let i = 0; i < 3; i++) slots.push(await coordinator.acquire('light', soon(), 5000));
		await slots[0].unused();
		// Granted without waiting for the 400 ms window, although all three were taken.
		await (await coordinator.acquire('light', Date.now() + 100, 5000)).used();
		await expect(coordinator.acquire('light', Date.now() + 50, 5000)).rejects.toBeInstanceOf(QueueTimeoutError);
	});

	it('a penalty stops everyone, and two concurrent penalties keep the longer one', async () => {
		const coordinator = make();
		await Promise.all([coordinator.penalise('heavy', 60_000), coordinator.penalise('heavy', 1_000)]);
		const error = await refusal(coordinator.acquire('heavy', Date.now() + 5_000, 5000));
		expect(error.penalty).toBe(true);
		expect(error.waitMs).toBeGreaterThan(30_000);
	});
});

describe('grant time estimate', () => {
	const base = { now: 1000, limit: 2, windowMs: 10_000, penaltyUntil: 0 };
	it('free slots go now; then the oldest answered slot, one window later; each full round adds a window', () => {
		expect(estimateGrantTime({ ...base, sorted: [900], position: 0 })).toBe(1000);
		expect(estimateGrantTime({ ...base, sorted: [900], position: 1 })).toBe(900 + 10_200);
		expect(estimateGrantTime({ ...base, sorted: [900, 950], position: 3 })).toBe(950 + 2 * 10_200);
		expect(estimateGrantTime({ ...base, sorted: [], position: 0, penaltyUntil: 5000 })).toBe(5000);
	});
});

describe('Redis coordination across processes', () => {
	it('two coordinators of the same credential (two workers) share one budget and one penalty', async () => {
		const key = randomBytes(8).toString('hex');
		const a = new RedisCoordinator(redis, prefix, key, 'm', starting);
		const b = new RedisCoordinator(redis, prefix, key, 'm', starting);
		await b.observe({ group: 'medium', limit: 3, windowMs: 60_000 });
		await (await a.acquire('medium', soon(), 5000)).used();
		await (await b.acquire('medium', soon(), 5000)).used();
		await (await a.acquire('medium', soon(), 5000)).used();
		expect((await refusal(b.acquire('medium', Date.now() + 50, 5000))).penalty).toBe(false);
		await a.penalise('light', 60_000);
		expect((await refusal(b.acquire('light', Date.now() + 50, 5000))).penalty).toBe(true);
	});

	it('stores tokens encrypted and only the same credential can read them', async () => {
		const key = randomBytes(8).toString('hex');
		const writer = new RedisCoordinator(redis, prefix, key, 'secret-A');
		const sameCredential = new RedisCoordinator(redis, prefix, key, 'secret-A');
		const otherSecret = new RedisCoordinator(redis, prefix, key, 'secret-B');
		const token = `access-${randomBytes(8).toString('hex')}`;
		await writer.tokens.write({ access_token: token, expire_time: Date.now() + 60000, refresh_token_expire_time: Date.now() + 60000 });
		expect((await sameCredential.tokens.read())?.access_token).toBe(token);
		expect(await otherSecret.tokens.read()).toBeUndefined();
		const raw = await redis.keys(`${prefix}*`);
		const values = await Promise.all(raw.filter((k) => k.endsWith(':session')).map((k) => redis.get(k)));
		expect(values.join('')).not.toContain(token);
		expect(raw.join('')).not.toContain(key);
	});

	it('keeps the session lock while a slow holder works past the lock TTL: one holder at a time', async () => {
		const store = new RedisCoordinator(redis, prefix, randomBytes(8).toString('hex'), 'm', starting, 1000).tokens;
		let inside = 0;
		let maxInside = 0;
		const work = async () => {
			inside++;
			maxInside = Math.max(maxInside, inside);
			await new Promise((r) => setTimeout(r, 2500));
			inside--;
		};
		const first = store.withLock(Date.now() + 8000, work);
		await new Promise((r) => setTimeout(r, 1500));
		const second = await store.withLock(Date.now() + 5000, work);
		expect(second.ok).toBe(false);
		expect((await first).ok).toBe(true);
		expect(maxInside).toBe(1);
	});
});
