/**
 * The opt-out list (file without Redis, Redis with it) and SMS → Send refusing a number on it with the
 * reason `opted_out` while the other recipients of the item are still served.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import type { IExecuteFunctions } from 'n8n-workflow';
import { getRingCentralClient, resetRingCentralClients } from '../../lib/ringcentral';
import { optOutFile, optOutStore, resetOptOutStores } from '../../lib/optout/store';
import { sendSms } from '../../nodes/RingCentral/actions/sendSms';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../simulator';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-optout-'));
const saved = { ...process.env };

afterAll(async () => {
	process.env = saved;
	await resetOptOutStores();
	fs.rmSync(dir, { recursive: true, force: true });
});

test('without Redis the list is a file in the n8n user folder that survives a new store (a restart)', async () => {
	const env = { N8N_USER_FOLDER: dir };
	expect(optOutFile(env)).toBe(path.join(dir, '.n8n', 'ringcentral-sms-opt-outs.json'));
	const store = optOutStore(env);
	expect(store.kind).toBe('file');
	await Promise.all([
		store.add({ number: '+14155550101', at: '2026-01-01T00:00:00.000Z', keyword: 'STOP' }),
		store.add({ number: '+14155550102', at: '2026-01-01T00:00:00.000Z', keyword: 'END' }),
	]);
	await resetOptOutStores();
	const again = optOutStore(env);
	expect((await again.get('+14155550101'))?.keyword).toBe('STOP');
	expect((await again.get('+14155550102'))?.keyword).toBe('END');
	expect(await again.remove('+14155550101')).toBe(true);
	expect(await again.remove('+14155550101')).toBe(false);
	expect(await again.get('+14155550101')).toBeUndefined();
});

test('with Redis (our variable or queue mode) the list is shared through Redis under the prefix', async () => {
	const prefix = `test-optout-${process.pid}:`;
	const env = { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: '6379', N8N_RINGCENTRAL_REDIS_PREFIX: prefix };
	const store = optOutStore(env);
	expect(store.kind).toBe('redis');
	await store.add({ number: '+14155550103', at: '2026-01-01T00:00:00.000Z', keyword: 'STOP' });
	const redis = new Redis('redis://127.0.0.1:6379/0');
	try {
		expect(JSON.parse((await redis.get(`${prefix}optout:+14155550103`)) as string).keyword).toBe('STOP');
		expect(await store.remove('+14155550103')).toBe(true);
		expect(await redis.exists(`${prefix}optout:+14155550103`)).toBe(0);
	} finally {
		const keys = await redis.keys(`${prefix}*`);
		if (keys.length) await redis.del(...keys);
		await redis.quit();
	}
});

describe('SMS → Send and the opt-out list', () => {
	let sim: Simulator;
	beforeAll(async () => {
		process.env.N8N_USER_FOLDER = dir;
		delete process.env.N8N_RINGCENTRAL_REDIS_URL;
		delete process.env.EXECUTIONS_MODE;
		sim = await startSimulator({ port: 0 });
		await optOutStore().add({ number: '+14155550110', at: '2026-01-02T00:00:00.000Z', keyword: 'STOP' });
	});
	afterAll(async () => {
		await resetRingCentralClients();
		await sim.close();
	});
	const ctx = (options: Record<string, unknown>) =>
		({
			getNodeParameter: (name: string, _i: number, fallback?: unknown) =>
				(({ from: 'auto', to: '+14155550110, +14155550111', text: 'hello', attachments: '', options }) as Record<string, unknown>)[name] ?? fallback,
			getInputData: () => [{ json: {} }],
			continueOnFail: () => true,
			getNode: () => ({ onError: 'continueRegularOutput' }),
		}) as unknown as IExecuteFunctions;

	test('the opted-out recipient is refused with the reason, the other one gets the SMS', async () => {
		const client = getRingCentralClient({ serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt });
		const results = await sendSms(ctx({}), client, 0);
		expect(results[0].json).toMatchObject({ reason: 'opted_out', field: 'to', to: '+14155550110' });
		expect(String(results[0].json.error)).toMatch(/opted out \(texted "STOP"\).*nothing was sent/);
		expect(results[1].json).toMatchObject({ to: '+14155550111', status: 'Queued' });
		expect(sim.messages().map((m) => m.to[0])).toEqual(['+14155550111']);
	});

	test('turning the option off sends to them (the one STOP confirmation)', async () => {
		const client = getRingCentralClient({ serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt });
		const results = await sendSms(ctx({ refuseOptedOut: false }), client, 0);
		expect(results.every((r) => !r.json.error)).toBe(true);
	});
});
