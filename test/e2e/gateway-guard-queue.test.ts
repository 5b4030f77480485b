/**
 * The abuse guard's send limits across processes: a queue-mode cluster where webhooks arrive at both main
 * and a separate `n8n webhook` process, all sharing Redis through N8N_RINGCENTRAL_REDIS_URL. A limit of 2
 * SMS a minute per destination must hold whichever process a request reaches; the third gets 429 in the
 * caller's format and sends nothing.
 */
import Redis from 'ioredis';
import { startSimulator, type Simulator } from '../../simulator';
import { gatewayCredentials, gatewayWorkflow } from '../pure/gateway/workflows';
import { E2E_TIMEOUT_MS, newId } from './harness';
import { startQueueCluster, type QueueCluster } from './queue-cluster';

const REDIS_URL = 'redis://127.0.0.1:6379/0';
const PREFIX = `n8n-rc-guard-e2e-${process.pid}-${Date.now().toString(36)}:`;
const ids = { rc: newId(), auth: newId() };
let sim: Simulator;
let cluster: QueueCluster;

async function get(base: 'main' | 'webhook', query: string) {
	const url = base === 'main' ? cluster.n8n.webhookUrl('guard-limit') : cluster.webhookUrl('guard-limit');
	const res = await fetch(`${url}?${query}`);
	return { status: res.status, body: await res.text(), retryAfter: res.headers.get('retry-after') };
}

beforeAll(async () => {
	sim = await startSimulator({ port: 0, latencyMs: 0, config: { limits: { light: 100000, medium: 100000, heavy: 100000, auth: 1000 } } });
	cluster = await startQueueCluster({
		workflows: [gatewayWorkflow(newId, ids, { path: 'guard-limit', preset: 'manageEngine', trigger: { gatewayOptions: { destinationPerMinute: 2 } } })],
		credentials: gatewayCredentials(sim.url, ids.rc, ids.auth),
		workers: 1,
		concurrency: 3,
		webhookProcess: true,
		env: {
			N8N_RINGCENTRAL_REDIS_URL: REDIS_URL,
			N8N_RINGCENTRAL_REDIS_PREFIX: PREFIX,
			N8N_RINGCENTRAL_SMS_PER_MINUTE: '100000',
			N8N_RINGCENTRAL_LIGHT_PER_MINUTE: '100000',
		},
	});
}, E2E_TIMEOUT_MS);

afterAll(async () => {
	await cluster?.stop();
	await sim?.close();
	const redis = new Redis(REDIS_URL);
	const keys = await redis.keys(`${PREFIX}*`);
	if (keys.length) await redis.del(...keys);
	redis.disconnect();
}, 120_000);

describe('send limits shared by two webhook-receiving processes through Redis', () => {
	it('2 a minute per destination: one SMS through main, one through the webhook process, then 429 on both', async () => {
		const q = (i: number) => `mobileNumber=16505550190&message=shared+limit+${i}`;
		const replies = [await get('main', q(1)), await get('webhook', q(2)), await get('main', q(3)), await get('webhook', q(4))];
		expect(replies.map((r) => r.status)).toEqual([200, 200, 429, 429]);
		for (const r of replies.slice(2)) {
			expect(r.body).toMatch(/^FAILED: too many SMS/);
			expect(Number(r.retryAfter)).toBeGreaterThan(0);
		}
		expect(sim.messages().map((m) => m.text)).toEqual(['shared limit 1', 'shared limit 2']);
		// The guard's keys are in Redis under the package prefix, and hold no phone number.
		const redis = new Redis(REDIS_URL);
		const keys = await redis.keys(`${PREFIX}guard:*`);
		redis.disconnect();
		expect(keys.length).toBeGreaterThan(0);
		expect(keys.join(' ')).not.toContain('6505550190');
		console.log(`guard queue e2e: statuses ${replies.map((r) => r.status).join(',')}, SMS sent ${sim.messages().length}, guard keys ${keys.length}`);
	});
});
