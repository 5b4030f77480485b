/**
 * The OTP API template with its OTP Store credential switched to Redis — the switch its note recommends for
 * queue mode and several n8n instances. Same template file, same story; Redis (127.0.0.1:6379) holds only
 * keyed hashes under this test's own prefix, which is removed afterwards.
 */
import { randomBytes } from 'crypto';
import Redis from 'ioredis';
import { startSimulator, type Simulator } from '../../simulator';
import { E2E_TIMEOUT_MS, startN8n, type N8nInstance } from './harness';
import { OTP_API_HEADERS, TEMPLATE_TEST_ENV, loadTemplate, templateCredentials } from './browser/templates';

const PREFIX = `n8n-rc-e2e-wf-${randomBytes(4).toString('hex')}:`;
let sim: Simulator;
let n8n: N8nInstance;
let redis: Redis;

async function post(path: string, body: unknown): Promise<{ status: number; json: any }> {
	const res = await fetch(n8n.webhookUrl(path), { method: 'POST', headers: { 'content-type': 'application/json', ...OTP_API_HEADERS }, body: JSON.stringify(body) });
	return { status: res.status, json: JSON.parse(await res.text()) };
}

async function ourKeys(): Promise<string[]> {
	const keys: string[] = [];
	let cursor = '0';
	do {
		const [next, batch] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 500);
		cursor = next;
		keys.push(...batch);
	} while (cursor !== '0');
	return keys;
}

/** Whatever a key holds, as text, whatever its Redis type. */
async function valueOf(key: string): Promise<unknown> {
	switch (await redis.type(key)) {
		case 'string':
			return await redis.get(key);
		case 'hash':
			return await redis.hgetall(key);
		case 'zset':
			return await redis.zrange(key, 0, -1, 'WITHSCORES');
		case 'set':
			return await redis.smembers(key);
		case 'list':
			return await redis.lrange(key, 0, -1);
		default:
			return await redis.dump(key);
	}
}

beforeAll(async () => {
	redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
	await redis.connect();
	sim = await startSimulator({ port: 0 });
	const template = loadTemplate('otpApi');
	const credentials = templateCredentials([template], sim.url).map((c: any) =>
		c.type === 'otpStoreApi' ? { ...c, data: { ...c.data, storeType: 'redis', host: '127.0.0.1', port: 6379, database: 0, keyPrefix: PREFIX } } : c,
	);
	n8n = await startN8n({ workflows: [template], credentials, env: TEMPLATE_TEST_ENV });
}, E2E_TIMEOUT_MS);

afterAll(async () => {
	await n8n?.stop();
	await sim?.close();
	if (redis) {
		const keys = await ourKeys();
		if (keys.length) await redis.del(...keys);
		await redis.quit();
	}
});

test('send → SMS; verify → approved once, then denied; Redis holds neither the phone number nor the code', async () => {
	const phone = '+16505550150';
	const since = sim.messages().length;
	const sent = await post('otp/send', { phone, purpose: 'login' });
	expect(sent.status).toBe(200);
	expect(sent.json.status).toBe('pending');
	const sms = sim.messages().slice(since).filter((m) => m.to.includes(phone));
	expect(sms).toHaveLength(1);
	const code = /\b(\d{6})\b/.exec(sms[0].text)?.[1] as string;
	expect(code).toBeDefined();

	const keys = await ourKeys();
	expect(keys.length).toBeGreaterThan(0);
	const dump = (await Promise.all(keys.map(async (k) => `${k}=${JSON.stringify(await valueOf(k))}`))).join('\n');
	for (const secret of [code, phone, phone.slice(1), '6505550150']) expect(dump).not.toContain(secret);

	expect(await post('otp/verify', { phone, code: '000001' === code ? '000002' : '000001', purpose: 'login' })).toEqual({ status: 403, json: { status: 'denied' } });
	expect(await post('otp/verify', { phone: '6505550150', code, purpose: 'login' })).toEqual({ status: 200, json: { status: 'approved' } });
	expect(await post('otp/verify', { phone, code, purpose: 'login' })).toEqual({ status: 403, json: { status: 'denied' } });
});
