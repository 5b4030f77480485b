/**
 * The trigger's claims: the first claim of an event or message wins, in memory (one process, copied into
 * static data for a restart) and in Redis (every process, real Redis, own prefix, cleaned up).
 */
import Redis from 'ioredis';
import { resetTriggerState, triggerStore, type TriggerStaticData } from '../../../nodes/RingCentralTrigger/state';

const saved = { ...process.env };
afterEach(async () => {
	process.env = { ...saved };
	await resetTriggerState();
});

test('memory: a message is claimed once; the copy in static data survives a restart of the process', async () => {
	delete process.env.N8N_RINGCENTRAL_REDIS_URL;
	delete process.env.EXECUTIONS_MODE;
	const data: TriggerStaticData = {};
	const store = triggerStore('http://n8n.test/webhook/a/ringcentral', data);
	expect(store.kind).toBe('memory');
	expect(await store.claim('message', '1')).toBe(true);
	expect(await store.claim('message', '1')).toBe(false);
	await store.advance(Date.parse('2026-12-02T10:00:00Z'));
	await store.advance(Date.parse('2026-12-02T09:00:00Z'));
	expect(await store.cursor()).toBe(Date.parse('2026-12-02T10:00:00Z'));
	const copy = JSON.parse(JSON.stringify(data)) as TriggerStaticData;
	await resetTriggerState();
	const after = triggerStore('http://n8n.test/webhook/a/ringcentral', copy);
	expect(await after.claim('message', '1')).toBe(false);
	expect(await after.claim('message', '2')).toBe(true);
	expect(await after.cursor()).toBe(Date.parse('2026-12-02T10:00:00Z'));
});

test('memory: only one catch-up at a time', async () => {
	const store = triggerStore('http://n8n.test/webhook/b/ringcentral', {});
	const release = await store.lock('catchUp', 1000);
	expect(release).toBeDefined();
	expect(await store.lock('catchUp', 1000)).toBeUndefined();
	await release?.();
	expect(await store.lock('catchUp', 1000)).toBeDefined();
});

test('Redis: two stores (two processes) racing for the same message: exactly one wins; clear removes every key', async () => {
	const prefix = `test-trigger-${process.pid}:`;
	process.env.N8N_RINGCENTRAL_REDIS_URL = 'redis://127.0.0.1:6379/0';
	process.env.N8N_RINGCENTRAL_REDIS_PREFIX = prefix;
	const a = triggerStore('http://n8n.test/webhook/c/ringcentral', {});
	const b = triggerStore('http://n8n.test/webhook/c/ringcentral', {});
	expect(a.kind).toBe('redis');
	const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).claim('message', '42')));
	expect(results.filter(Boolean)).toHaveLength(1);
	await a.advance(2000);
	await b.advance(1000);
	expect(await b.cursor()).toBe(2000);
	await a.setCatchUpPending(true);
	expect(await b.catchUpPending()).toBe(true);
	const redis = new Redis('redis://127.0.0.1:6379/0');
	try {
		expect((await redis.keys(`${prefix}*`)).length).toBeGreaterThan(0);
		await a.clear();
		expect(await redis.keys(`${prefix}*`)).toEqual([]);
	} finally {
		const left = await redis.keys(`${prefix}*`);
		if (left.length) await redis.del(...left);
		await redis.quit();
	}
});
