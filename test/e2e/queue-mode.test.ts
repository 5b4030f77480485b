/**
 * Queue mode, end to end: one n8n main, an `n8n webhook` process and two `n8n worker` processes sharing the
 * machine's PostgreSQL (own database) and Redis (own Bull prefix), the package installed on every process,
 * RingCentral played by the simulator with its real quotas, and the shipped ManageEngine and OTP API
 * templates.
 *
 * What must hold across processes:
 * - with `N8N_RINGCENTRAL_REDIS_URL`, all workers share one RingCentral login (and its refreshes) and one
 *   SMS budget: a burst larger than the budget is queued, never refused by RingCentral with a 429;
 * - without it, n8n's own queue settings (`QUEUE_BULL_REDIS_*`) are enough for the same: one login for the
 *   cluster, one budget, and one duplicate window for the gateway trigger on every webhook process;
 * - OTP single use and the attempt cap hold when send and verify run on different workers (Redis store).
 *
 * Which worker ran an execution comes from each worker's own output (see queue-cluster.ts).
 */
import { randomBytes } from 'crypto';
import Redis from 'ioredis';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../simulator';
import { gatewayCredentials, gatewayWorkflow } from '../pure/gateway/workflows';
import { MANAGEENGINE_TOKEN, OTP_API_HEADERS, loadTemplate, templateCredentials, type TemplateJson } from './browser/templates';
import { E2E_TIMEOUT_MS, nodeOutput, waitFor, type N8nInstance } from './harness';
import { startQueueCluster, type QueueCluster } from './queue-cluster';

const RUN = `${process.pid}-${Date.now().toString(36)}`;
const REDIS_URL = 'redis://127.0.0.1:6379/0';
const RC_PREFIX = `n8n-rc-queue-e2e-${RUN}:rc:`;
const OTP_PREFIX = `n8n-rc-queue-e2e-${RUN}:otp:`;
/** RingCentral's Medium group, scaled down so a test burst exceeds it: 8 SMS per 10 s window. */
const SMS_BUDGET = 8;
const WINDOW_S = 10;
const WORKERS = 2;
/** Jobs per worker: small, so any batch of more requests has to use both workers. */
const WORKER_CONCURRENCY = 3;

let sim: Simulator;

interface Reply {
	status: number;
	text: string;
}

async function request(cluster: QueueCluster, path: string, init: { query?: Record<string, string>; json?: unknown; headers?: Record<string, string> }): Promise<Reply> {
	const qs = init.query ? `?${new URLSearchParams(init.query)}` : '';
	const res = await fetch(cluster.webhookUrl(path) + qs, {
		method: init.json === undefined ? 'GET' : 'POST',
		// The OTP API template authenticates its caller with a header token.
		headers: { ...(init.json === undefined ? {} : { 'content-type': 'application/json' }), ...(path.startsWith('otp/') ? OTP_API_HEADERS : {}), ...init.headers },
		body: init.json === undefined ? undefined : JSON.stringify(init.json),
	});
	return { status: res.status, text: await res.text() };
}

async function executionIds(n8n: N8nInstance, workflowId: string): Promise<Set<string>> {
	return new Set((await n8n.rest.listExecutions({ workflowId })).map((e) => e.id));
}

/**
 * The OTP API executions since `marker`: which endpoint, which phone and which worker. Requests run
 * concurrently, so each execution is identified by what it received rather than by order. A worker answers
 * through Respond to Webhook before it saves the execution as finished, so wait (up to 30 s) until `expected`
 * executions have finished.
 */
async function otpRuns(
	cluster: QueueCluster,
	workflowId: string,
	marker: Set<string>,
	expected: number,
): Promise<Array<{ endpoint: 'send' | 'verify'; phone: string; worker: number; sortKey: number }>> {
	const { n8n } = cluster;
	const finished = async () => {
		const since = (await n8n.rest.listExecutions({ workflowId })).filter((e) => !marker.has(e.id));
		const done = since.filter((e) => e.status !== 'running' && e.status !== 'new' && e.status !== 'waiting');
		return done.length >= expected ? since : undefined;
	};
	const since = await waitFor(finished, 30_000, () => new Error(`fewer than ${expected} OTP API executions finished within 30 s`)).catch(
		async () => (await n8n.rest.listExecutions({ workflowId })).filter((e) => !marker.has(e.id)),
	);
	const ids = since.map((e) => e.id);
	const runs = await Promise.all(
		ids.map(async (id) => {
			const detail = await n8n.rest.getExecution(id);
			const endpoint: 'send' | 'verify' = nodeOutput(detail, 'POST otp/send').length ? 'send' : 'verify';
			const [input] = nodeOutput(detail, endpoint === 'send' ? 'POST otp/send' : 'POST otp/verify');
			return { endpoint, phone: String(input?.body?.phone), worker: await cluster.workerOf(id), sortKey: Number(id) };
		}),
	);
	return runs.sort((a, b) => a.sortKey - b.sortKey);
}

function codeSentTo(phone: string): string {
	const texts = sim.messages({ to: phone }).map((m) => m.text);
	const match = /\b(\d{6})\b/.exec(texts[texts.length - 1] ?? '');
	if (!match) throw new Error(`no code was texted to ${phone}`);
	return match[1];
}

function templatesWithRedisOtp(templates: TemplateJson[]): object[] {
	return templateCredentials(templates, sim.url).map((c) => {
		const credential = c as { type: string; data: Record<string, unknown> };
		if (credential.type !== 'otpStoreApi') return credential;
		return { ...credential, data: { pepper: randomBytes(32).toString('hex'), storeType: 'redis', host: '127.0.0.1', port: 6379, database: 0, keyPrefix: OTP_PREFIX } };
	});
}

/** ManageEngine's request: the AD number with every non-digit removed. */
function manageEngineQuery(i: number): Record<string, string> {
	return { mobileNumber: `1650555${String(2000 + i)}`, message: `Your ADSelfService Plus verification code is ${100000 + i}`, token: MANAGEENGINE_TOKEN };
}

/** Every string value stored under a key prefix (sorted sets and the like are skipped). */
async function redisValues(prefix: string): Promise<string[]> {
	const redis = new Redis(REDIS_URL);
	try {
		const keys: string[] = [];
		let cursor = '0';
		do {
			const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
			cursor = next;
			keys.push(...found);
		} while (cursor !== '0');
		const values: string[] = [];
		for (const key of keys) if ((await redis.type(key)) === 'string') values.push((await redis.get(key)) ?? '');
		return values;
	} finally {
		redis.disconnect();
	}
}

async function dropKeys(prefix: string): Promise<void> {
	const redis = new Redis(REDIS_URL);
	try {
		let cursor = '0';
		do {
			const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
			cursor = next;
			if (keys.length) await redis.del(...keys);
		} while (cursor !== '0');
	} finally {
		redis.disconnect();
	}
}

beforeAll(async () => {
	sim = await startSimulator({
		port: 0,
		config: {
			windowSeconds: WINDOW_S,
			limits: { light: 50, medium: SMS_BUDGET, heavy: 10, auth: 5 },
			// Tokens that need a refresh every few seconds, so refreshes happen while both workers are busy.
			accessTokenTtlOverride: 65,
		},
	});
}, 30_000);

afterAll(async () => {
	await sim?.close();
	await dropKeys(`n8n-rc-queue-e2e-${RUN}:`);
}, 60_000);

describe('queue mode with the shared Redis coordination (main + webhook process + 2 workers)', () => {
	let cluster: QueueCluster;
	let n8n: N8nInstance;
	let manageEngine: TemplateJson;
	let manageEngineId: string;
	let otpApiId: string;

	beforeAll(async () => {
		manageEngine = loadTemplate('manageEngine');
		const otpApi = loadTemplate('otpApi');
		cluster = await startQueueCluster({
			workflows: [manageEngine, otpApi],
			credentials: templatesWithRedisOtp([manageEngine, otpApi]),
			workers: WORKERS,
			concurrency: WORKER_CONCURRENCY,
			// Webhooks arrive at a separate `n8n webhook` process, as in a scaled deployment.
			webhookProcess: true,
			env: {
				N8N_RINGCENTRAL_REDIS_URL: REDIS_URL,
				N8N_RINGCENTRAL_REDIS_PREFIX: RC_PREFIX,
				N8N_RINGCENTRAL_SMS_PER_MINUTE: String(SMS_BUDGET),
				N8N_RINGCENTRAL_RATE_WINDOW_MS: String(WINDOW_S * 1000),
			},
		});
		n8n = cluster.n8n;
		[manageEngineId, otpApiId] = n8n.workflowIds;
	}, E2E_TIMEOUT_MS);

	afterAll(async () => await cluster?.stop(), 120_000);

	it('a ManageEngine burst twice the SMS budget: every SMS sent, one login for all workers, no 429, work on both workers', async () => {
		// Twice the budget: half waits for the next window, well inside the template's 15 s send budget.
		const burst = 2 * SMS_BUDGET;
		const replies = await Promise.all(
			Array.from({ length: burst }, (_, i) => request(cluster, 'ringcentral/manageengine', { query: manageEngineQuery(i) })),
		);
		expect(replies.map((r) => r.status)).toEqual(Array(burst).fill(200));
		for (const r of replies) expect(r.text.trim()).toBe('success');

		for (let i = 0; i < burst; i++) {
			const to = `+${manageEngineQuery(i).mobileNumber}`;
			const sent = sim.messages({ to });
			expect(sent).toHaveLength(1);
			expect(sent[0].text).toBe(manageEngineQuery(i).message);
		}
		const stats = sim.stats();
		// One session for the whole cluster, kept alive by refreshes that never collided (a collision burns the
		// single-use refresh token and shows up as a failed refresh and a second JWT login).
		expect(stats.jwtLogins).toBe(1);
		expect(stats.refreshes).toBeGreaterThanOrEqual(1);
		expect(stats.failedRefreshes).toBe(0);
		expect(stats.sessionsEvicted).toBe(0);
		expect(stats.activeSessions).toBeLessThanOrEqual(5);
		// The shared session is in Redis, but only encrypted: no token, JWT or client secret in plain text.
		const stored = await redisValues(RC_PREFIX);
		expect(stored.length).toBeGreaterThan(0);
		for (const value of stored) {
			for (const secret of [SIM_DEFAULTS.jwt, SIM_DEFAULTS.clientSecret, 'access_token', 'refresh_token']) expect(value).not.toContain(secret);
		}
		// 16 SMS against 8 per window: RingCentral would have refused 8 had the excess not been queued.
		expect(stats.rateLimited).toBe(0);
		expect(stats.smsAccepted).toBe(burst);

		const executions = (await n8n.rest.listExecutions({ workflowId: manageEngineId })).map((e) => e.id);
		expect(executions).toHaveLength(burst);
		const workers = new Set(await Promise.all(executions.map((id) => cluster.workerOf(id))));
		expect(workers.size).toBe(WORKERS);
	}, 240_000);

	it('OTP: codes sent on one worker are approved once on the other (Redis store)', async () => {
		const phones = Array.from({ length: 8 }, (_, i) => `+1650555${3000 + i}`);
		const marker = await executionIds(n8n, otpApiId);
		const sent = await Promise.all(phones.map((phone) => request(cluster, 'otp/send', { json: { phone, purpose: 'login' } })));
		expect(sent.map((r) => r.status)).toEqual(phones.map(() => 200));
		const codes = phones.map((phone) => codeSentTo(phone));
		const verified = await Promise.all(phones.map((phone, i) => request(cluster, 'otp/verify', { json: { phone, code: codes[i], purpose: 'login' } })));
		expect(verified.map((r) => r.status)).toEqual(phones.map(() => 200));
		for (const r of verified) expect(JSON.parse(r.text)).toEqual({ status: 'approved' });
		// Single use, whichever worker gets the replay.
		const replayed = await Promise.all(phones.map((phone, i) => request(cluster, 'otp/verify', { json: { phone, code: codes[i], purpose: 'login' } })));
		expect(replayed.map((r) => r.status)).toEqual(phones.map(() => 403));

		const runs = await otpRuns(cluster, otpApiId, marker, phones.length * 3);
		expect(runs).toHaveLength(phones.length * 3);
		const crossed = phones.filter((phone) => {
			const [send, verify] = ['send', 'verify'].map((endpoint) => runs.find((r) => r.phone === phone && r.endpoint === endpoint)?.worker);
			return send !== undefined && verify !== undefined && send !== verify;
		});
		// Batches larger than one worker's concurrency land on both workers, so some codes must have crossed.
		expect(crossed.length).toBeGreaterThan(0);
		expect(new Set(runs.map((r) => r.worker)).size).toBe(WORKERS);
	}, 240_000);

	it('OTP: the attempt cap counts wrong codes from every worker together', async () => {
		const phone = '+16505553100';
		const marker = await executionIds(n8n, otpApiId);
		expect((await request(cluster, 'otp/send', { json: { phone, purpose: 'login' } })).status).toBe(200);
		const code = codeSentTo(phone);
		const wrong = code.replace(/.$/, (d) => String((Number(d) + 1) % 10));
		// Five attempts per code (the template's default), all at once so they run on both workers.
		const attempts = await Promise.all(Array.from({ length: 5 }, () => request(cluster, 'otp/verify', { json: { phone, code: wrong, purpose: 'login' } })));
		expect(attempts.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
		const right = await request(cluster, 'otp/verify', { json: { phone, code, purpose: 'login' } });
		// Had each worker counted its own attempts (or lost a concurrent update), the right code would pass here.
		expect(right.status).toBe(403);
		const wrongRuns = (await otpRuns(cluster, otpApiId, marker, 7)).filter((r) => r.endpoint === 'verify');
		expect(wrongRuns).toHaveLength(6);
		expect(new Set(wrongRuns.slice(0, 5).map((r) => r.worker)).size).toBe(WORKERS);
	}, 240_000);
});

describe("queue mode with nothing but n8n's own queue settings (main + webhook process + 2 workers)", () => {
	let cluster: QueueCluster;
	let n8n: N8nInstance;
	let manageEngineId: string;
	const ids = { rc: 'c1000000-0000-4000-8000-000000000001', auth: 'c1000000-0000-4000-8000-000000000002' };
	const dedupe = gatewayWorkflow(() => 'c1000000-0000-4000-8000-0000000000d1', ids, {
		path: 'zero-config/prtg',
		preset: 'prtg',
		auth: true,
		trigger: { gatewayOptions: { duplicateWindowSeconds: 60 } },
		// Room to wait in the queue: the burst before it has just spent the whole window's budget.
		timeoutSeconds: 30,
	});

	beforeAll(async () => {
		// The same scaled-down Medium budget, stated by the simulator in its headers; no package variable at all.
		sim.configure({ limits: { light: 50, medium: SMS_BUDGET, heavy: 10, auth: 5 }, windowSeconds: WINDOW_S, accessTokenTtlOverride: 0 });
		const manageEngine = loadTemplate('manageEngine');
		cluster = await startQueueCluster({
			workflows: [manageEngine, dedupe],
			credentials: [...templateCredentials([manageEngine], sim.url), ...gatewayCredentials(sim.url, ids.rc, ids.auth)],
			workers: WORKERS,
			concurrency: WORKER_CONCURRENCY,
			webhookProcess: true,
			env: {},
		});
		n8n = cluster.n8n;
		manageEngineId = n8n.workflowIds[0];
	}, E2E_TIMEOUT_MS);

	afterAll(async () => await cluster?.stop(), 120_000);

	it('one login for the cluster, a burst twice the budget sent within it with zero 429s, on both workers', async () => {
		const before = sim.stats();
		const burst = 2 * SMS_BUDGET;
		const started = Date.now();
		const replies = await Promise.all(
			Array.from({ length: burst }, (_, i) => request(cluster, 'ringcentral/manageengine', { query: manageEngineQuery(200 + i) })),
		);
		const elapsedS = (Date.now() - started) / 1000;
		expect(replies.map((r) => r.status)).toEqual(Array(burst).fill(200));
		const after = sim.stats();
		expect(after.smsAccepted - before.smsAccepted).toBe(burst);
		expect(after.jwtLogins - before.jwtLogins).toBe(1);
		expect(after.rateLimited - before.rateLimited).toBe(0);
		expect(after.contractViolations).toBe(0);
		const executions = (await n8n.rest.listExecutions({ workflowId: manageEngineId })).map((e) => e.id);
		const workers = new Set(await Promise.all(executions.map((id) => cluster.workerOf(id))));
		expect(workers.size).toBe(WORKERS);
		process.stderr.write(`[e2e figures] zero-config queue mode: ${burst} SMS against ${SMS_BUDGET} per ${WINDOW_S} s, ${after.jwtLogins - before.jwtLogins} login, ${after.rateLimited - before.rateLimited} 429s, ${elapsedS.toFixed(1)} s\n`);
	}, 240_000);

	it('the duplicate window is shared: the same SMS through the webhook process and through main is sent once', async () => {
		const before = sim.stats().smsAccepted;
		const query = { number: '+16505559001', text: 'Sensor down (zero-config)' };
		const headers = { authorization: `Basic ${Buffer.from('manageengine:e2e-pass-123').toString('base64')}` };
		const viaWebhook = await request(cluster, 'zero-config/prtg', { query, headers });
		const qs = `?${new URLSearchParams(query)}`;
		const viaMain = await fetch(n8n.webhookUrl('zero-config/prtg') + qs, { headers });
		expect(viaWebhook.status).toBe(200);
		expect(viaMain.status).toBe(200);
		expect(sim.stats().smsAccepted - before).toBe(1);
		expect(sim.messages({ to: '+16505559001' })).toHaveLength(1);
	}, 120_000);
});
