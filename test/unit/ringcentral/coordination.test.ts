import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { LocalCoordinator, QueueTimeoutError, RedisCoordinator } from '../../../lib/ringcentral/coordination';

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

const limits = { perWindow: { medium: 3 }, windowMs: 400 };

describe.each([
	['local', () => new LocalCoordinator(limits)],
	['redis', () => new RedisCoordinator(redis, limits, prefix, randomBytes(8).toString('hex'), 'secret-material')],
] as const)('%s coordinator', (_name, make) => {
	it('lets the window budget through at once and makes the next request wait for a free slot', async () => {
		const coordinator = make();
		const waits: number[] = [];
		for (let i = 0; i < 4; i++) waits.push(await coordinator.acquire('medium', Date.now() + 5000));
		expect(waits.slice(0, 3).every((w) => w < 100)).toBe(true);
		expect(waits[3]).toBeGreaterThan(200); // waited for the oldest slot to leave the 400 ms window
	});

	it('refuses to queue past the deadline instead of sending late', async () => {
		const coordinator = make();
		for (let i = 0; i < 3; i++) await coordinator.acquire('medium', Date.now() + 5000);
		await expect(coordinator.acquire('medium', Date.now() + 50)).rejects.toBeInstanceOf(QueueTimeoutError);
	});

	it('holds every request during a penalty', async () => {
		const coordinator = make();
		await coordinator.penalise('light', 300);
		expect(await coordinator.penaltyRemaining('light')).toBeGreaterThan(200);
		await expect(coordinator.acquire('light', Date.now() + 100)).rejects.toBeInstanceOf(QueueTimeoutError);
		const waited = await coordinator.acquire('light', Date.now() + 2000);
		expect(waited).toBeGreaterThan(150);
	});
});

describe('Redis coordination across processes', () => {
	it('shares one budget between two coordinators of the same credential (two workers)', async () => {
		const key = randomBytes(8).toString('hex');
		const a = new RedisCoordinator(redis, limits, prefix, key, 'm');
		const b = new RedisCoordinator(redis, limits, prefix, key, 'm');
		await a.acquire('medium', Date.now() + 5000);
		await b.acquire('medium', Date.now() + 5000);
		await a.acquire('medium', Date.now() + 5000);
		await expect(b.acquire('medium', Date.now() + 50)).rejects.toBeInstanceOf(QueueTimeoutError);
		await a.penalise('heavy', 500);
		expect(await b.penaltyRemaining('heavy')).toBeGreaterThan(300);
	});

	it('stores tokens encrypted and only the same credential can read them', async () => {
		const key = randomBytes(8).toString('hex');
		const writer = new RedisCoordinator(redis, limits, prefix, key, 'secret-A');
		const sameCredential = new RedisCoordinator(redis, limits, prefix, key, 'secret-A');
		const otherSecret = new RedisCoordinator(redis, limits, prefix, key, 'secret-B');
		const token = `access-${randomBytes(8).toString('hex')}`;
		await writer.tokens.write({ access_token: token, expire_time: Date.now() + 60000, refresh_token_expire_time: Date.now() + 60000 });
		expect((await sameCredential.tokens.read())?.access_token).toBe(token);
		expect(await otherSecret.tokens.read()).toBeUndefined();
		const raw = await redis.keys(`${prefix}*`);
		const values = await Promise.all(raw.filter((k) => k.endsWith(':session')).map((k) => redis.get(k)));
		expect(values.join('')).not.toContain(token);
		expect(raw.join('')).not.toContain(key);
	});

	it('runs only one holder of the session lock at a time', async () => {
		const store = new RedisCoordinator(redis, limits, prefix, randomBytes(8).toString('hex'), 'm').tokens;
		let inside = 0;
		let maxInside = 0;
		const results = await Promise.all(
			Array.from({ length: 5 }, () =>
				store.withLock(Date.now() + 3000, async () => {
					inside++;
					maxInside = Math.max(maxInside, inside);
					await new Promise((r) => setTimeout(r, 100));
					inside--;
				}),
			),
		);
		expect(maxInside).toBe(1);
		expect(results.filter((r) => r.ok)).toHaveLength(1);
	});
});
