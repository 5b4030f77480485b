/**
 * Call log and call queues in a real n8n, against the simulator and the machine's real PostgreSQL:
 * - Get Many with each filter, a Return All export over more than 10 pages, Get by id, queues and members;
 * - the bundled `call-log-to-postgres.json`: a 30-day back-fill of 10,000 records lands exactly 10,000 rows,
 *   overlapping runs add nothing, late records are picked up by the next run, a failed database write loses
 *   nothing; the Heavy group sees 0 × 429 and the back-fill's time is printed against the group's minimum.
 *
 * To keep the run short the simulator's rate window is shrunk to 3 s with a Heavy limit of 2 (control API),
 * and n8n's transport is told the limit and a 3.5 s window through its environment. The template runs as shipped except its
 * Schedule Trigger, swapped for a Webhook so each run is one request (a production execution, so n8n keeps
 * the sync position exactly as on a schedule), and First Run: Days Back set to 30 as its note says.
 * Its own database `rc_calllog_<random>` is created and dropped.
 */
import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import { SIM_DEFAULTS, seedCallLog, startSimulator, type Simulator } from '../../simulator';
import { E2E_TIMEOUT_MS, PACKAGE_NODE_PREFIX, newId, startN8n, type N8nInstance } from './harness';
import { loadTemplate } from './browser/templates';

const DB = `rc_calllog_${randomBytes(4).toString('hex')}`;
const HEAVY_LIMIT = 2;
const WINDOW_S = 3;
// The transport is told a window 0.5 s longer than the simulator's: its limiter dates a slot when the request
// leaves, so on a loaded machine a request that reaches the simulator late could otherwise fall inside the
// next window (seen once: 1 × 429 with equal windows). At RingCentral's 60 s the 2 % margin covers it.
const CLIENT_WINDOW_MS = WINDOW_S * 1000 + 500;
const DAY = 24 * 3600 * 1000;
const rcCredential = { id: newId(), name: 'RingCentral (simulator)' };
const templateId = newId();
const pgCredential = { id: newId(), name: 'Postgres (e2e)' };
let sim: Simulator;
let n8n: N8nInstance;

function psql(sql: string, database = DB): string {
	return execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', database, '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' }).trim();
}
const rows = () => Number(psql('SELECT count(*) FROM ringcentral_call_log'));

/** The shipped template with its Schedule Trigger replaced by a Webhook that answers with the last node. */
function templateOnWebhook(): object {
	const t = loadTemplate('callLog') as any;
	const schedule = t.nodes.find((n: any) => n.type === 'n8n-nodes-base.scheduleTrigger');
	const webhookName = 'Run now (test)';
	schedule.name = webhookName;
	schedule.type = 'n8n-nodes-base.webhook';
	schedule.typeVersion = 2;
	schedule.webhookId = 'c0000000-0000-4000-8000-0000000000c1';
	schedule.parameters = { httpMethod: 'POST', path: 'e2e/call-log/sync', responseMode: 'lastNode', options: {} };
	t.connections[webhookName] = t.connections['Every 5 minutes'];
	delete t.connections['Every 5 minutes'];
	for (const node of t.nodes) {
		if (node.credentials?.ringCentralJwtApi) node.credentials.ringCentralJwtApi = rcCredential;
		if (node.credentials?.postgres) node.credentials.postgres = pgCredential;
		if (node.parameters.operation === 'sync') node.parameters.backfillDays = 30;
	}
	return { ...t, id: templateId };
}

const webhookNode = (path: string) => ({
	id: newId(),
	name: 'Webhook',
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position: [0, 0],
	webhookId: `c0000000-0000-4000-8000-${randomBytes(6).toString('hex')}`,
	parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
});

/** Webhook → one RingCentral node whose parameters come from the request body. */
function readWorkflow(path: string, parameters: Record<string, unknown>): object {
	return {
		id: newId(),
		name: `E2E: ${path}`,
		nodes: [
			webhookNode(path),
			{
				id: newId(),
				name: 'RingCentral',
				type: `${PACKAGE_NODE_PREFIX}.ringCentral`,
				typeVersion: 1,
				position: [220, 0],
				onError: 'continueRegularOutput',
				credentials: { ringCentralJwtApi: rcCredential },
				parameters,
			},
		],
		connections: { Webhook: { main: [[{ node: 'RingCentral', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

const callLogRead = readWorkflow('e2e/call-log/read', {
	resource: 'callLog',
	operation: 'getAll',
	scope: '={{ $json.body.scope }}',
	view: '={{ $json.body.view || "Simple" }}',
	returnAll: '={{ $json.body.returnAll === true }}',
	limit: '={{ $json.body.limit || 50 }}',
	filters: {
		dateFrom: '={{ $json.body.dateFrom || "" }}',
		dateTo: '={{ $json.body.dateTo || "" }}',
		type: '={{ $json.body.type || "" }}',
		direction: '={{ $json.body.direction || "" }}',
		withRecording: '={{ $json.body.withRecording === true }}',
	},
	options: { pageSize: '={{ $json.body.pageSize || 1000 }}' },
});
const callLogGet = readWorkflow('e2e/call-log/get', { resource: 'callLog', operation: 'get', scope: 'account', recordId: '={{ $json.body.id }}', view: 'Detailed' });
const queues = readWorkflow('e2e/call-queues', { resource: 'callQueue', operation: 'getAll', returnAll: true });
const members = readWorkflow('e2e/call-queues/members', { resource: 'callQueue', operation: 'getMembers', queueId: '={{ $json.body.queueId }}', returnAll: true });

async function post(path: string, body: unknown): Promise<{ status: number; json: any; ms: number }> {
	const started = Date.now();
	const res = await fetch(n8n.webhookUrl(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const text = await res.text();
	return { status: res.status, json: text ? JSON.parse(text) : undefined, ms: Date.now() - started };
}
const read = async (body: Record<string, unknown>) => {
	const out = await post('e2e/call-log/read', body);
	expect(out.status).toBe(200);
	return out.json as any[];
};
const sync = () => post('e2e/call-log/sync', {});

const heavy = () => ({ requests: sim.stats().requestsByGroup.heavy, limited: sim.stats().rateLimitedByGroup.heavy });
/** Shortest time n requests can take at `limit` per window: the last one waits for the (n/limit − 1)-th window. */
const minimumMs = (requests: number) => Math.max(0, Math.ceil(requests / HEAVY_LIMIT) - 1) * WINDOW_S * 1000;
const figures: string[] = [];

beforeAll(async () => {
	psql(`CREATE DATABASE ${DB}`, 'test');
	sim = await startSimulator({ port: 0 });
	sim.configure({ limits: { heavy: HEAVY_LIMIT, light: 100000, medium: 100000 }, windowSeconds: WINDOW_S, penaltySeconds: 60 });
	const now = Date.now();
	// 10,000 records over the last 29 days (up to a minute ago), and 500 older than the 30-day back-fill.
	seedCallLog(sim.state, { count: 10_000, from: new Date(now - 29 * DAY).toISOString(), to: new Date(now - 60_000).toISOString() });
	seedCallLog(sim.state, { count: 500, from: new Date(now - 40 * DAY).toISOString(), to: new Date(now - 31 * DAY).toISOString() });
	n8n = await startN8n({
		workflows: [templateOnWebhook(), callLogRead, callLogGet, queues, members],
		credentials: [
			{
				...rcCredential,
				type: 'ringCentralJwtApi',
				data: { serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt },
			},
			{ ...pgCredential, type: 'postgres', data: { host: '127.0.0.1', port: 5432, database: DB, user: 'postgres', password: '', ssl: 'disable' } },
		],
		env: {
			N8N_RINGCENTRAL_RATE_WINDOW_MS: String(CLIENT_WINDOW_MS),
			N8N_RINGCENTRAL_HEAVY_PER_MINUTE: String(HEAVY_LIMIT),
			N8N_RINGCENTRAL_LIGHT_PER_MINUTE: '100000',
			N8N_RINGCENTRAL_SMS_PER_MINUTE: '100000',
		},
	});
}, E2E_TIMEOUT_MS);

afterAll(async () => {
	process.stderr.write(`[e2e figures] call log\n${figures.map((f) => `  ${f}`).join('\n')}\n`);
	await n8n?.stop();
	await sim?.close();
	try {
		psql(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`, 'test');
	} catch {
		// Reported by the next run's leftovers, never by a failing cleanup here.
	}
}, 60_000);

describe('call-log-to-postgres template against PostgreSQL', () => {
	let firstWindowEnd = '';

	it('a 30-day back-fill of 10,000 records lands exactly 10,000 rows, paced in the Heavy group with 0 × 429', async () => {
		const before = heavy();
		const run = await sync();
		expect(run.status).toBe(200);
		expect(run.json).toMatchObject({ committed: true, window: { records: 10_000 } });
		firstWindowEnd = run.json.syncedUntil;
		expect(rows()).toBe(10_000);
		expect(Number(psql("SELECT count(*) FROM ringcentral_call_log WHERE start_time < now() - interval '30 days'"))).toBe(0);
		const after = heavy();
		const requests = after.requests - before.requests;
		expect(requests).toBe(10);
		expect(after.limited).toBe(0);
		const [last] = await n8n.rest.listExecutions({ workflowId: templateId });
		const runData = (await n8n.rest.getExecution(last.id)).data?.resultData?.runData ?? {};
		const seconds = (node: string) => ((runData[node]?.[0]?.executionTime ?? NaN) / 1000).toFixed(1);
		figures.push(
			`back-fill: 10,000 records in ${requests} Heavy requests (1,000 a page), ${(run.ms / 1000).toFixed(1)} s through n8n (RingCentral read ${seconds('Call log since last sync')} s, upsert ${seconds('Upsert by call id')} s); Heavy minimum at ${HEAVY_LIMIT} per ${WINDOW_S} s = ${(minimumMs(requests) / 1000).toFixed(1)} s (at RingCentral's 10 a minute the same 10 pages fit in one window); 429s: ${after.limited}`,
		);
	}, 300_000);

	it('two overlapping runs add nothing twice', async () => {
		const second = await sync();
		const third = await sync();
		for (const run of [second, third]) {
			expect(run.status).toBe(200);
			expect(run.json.committed).toBe(true);
			// The 60-minute overlap really re-read records…
			expect(run.json.window.records).toBeGreaterThan(5);
		}
		// …and the windows overlap each other.
		expect(Date.parse(second.json.window.dateFrom)).toBeLessThan(Date.parse(firstWindowEnd));
		expect(rows()).toBe(10_000);
		expect(Number(psql('SELECT count(*) FROM ringcentral_call_log WHERE updated_at > first_seen_at'))).toBe(0);
		figures.push(`overlapping runs: re-read ${second.json.window.records} and ${third.json.window.records} records, rows still ${rows()}`);
	}, 120_000);

	it('records that appear after their window has passed are picked up by the next run', async () => {
		const late = ['LATEREC001', 'LATEREC002', 'LATEREC003'];
		// Calls that started 20-40 minutes ago (inside windows already read) and are only now listed.
		seedCallLog(sim.state, {
			records: late.map((id, i) => ({ id, startTime: new Date(Date.now() - (20 + i * 10) * 60_000).toISOString(), extensionId: SIM_DEFAULTS.extensionId })),
		});
		const run = await sync();
		expect(run.status).toBe(200);
		expect(rows()).toBe(10_003);
		expect(psql(`SELECT string_agg(id, ',' ORDER BY id) FROM ringcentral_call_log WHERE id LIKE 'LATEREC%'`)).toBe(late.join(','));
		figures.push(`late records: 3 inserted after their window, next run → rows ${rows()}`);
	}, 120_000);

	it('a failed database write moves nothing: the next run stores what the failed one read', async () => {
		psql("ALTER TABLE ringcentral_call_log ADD CONSTRAINT e2e_refuse CHECK (id NOT LIKE 'POISON%')");
		seedCallLog(sim.state, {
			records: [
				{ id: 'POISON0001', startTime: new Date(Date.now() - 5 * 60_000).toISOString() },
				{ id: 'AFTERFAIL1', startTime: new Date(Date.now() - 4 * 60_000).toISOString() },
			],
		});
		const failed = await sync();
		expect(failed.status).toBe(500);
		expect(rows()).toBe(10_003);
		psql('ALTER TABLE ringcentral_call_log DROP CONSTRAINT e2e_refuse');
		const next = await sync();
		expect(next.status).toBe(200);
		expect(rows()).toBe(10_005);
		expect(psql("SELECT count(*) FROM ringcentral_call_log WHERE id IN ('POISON0001', 'AFTERFAIL1')")).toBe('2');
		expect(heavy().limited).toBe(0);
	}, 120_000);
});

describe('Call Log and Call Queue operations in n8n', () => {
	const from = () => new Date(Date.now() - 7 * DAY).toISOString();

	it('Return All exports more than 10 pages, one at a time, with 0 × 429', async () => {
		const before = heavy();
		const started = Date.now();
		const out = await read({ scope: 'account', returnAll: true, dateFrom: from(), pageSize: 200 });
		const ms = Date.now() - started;
		const requests = heavy().requests - before.requests;
		expect(out.length).toBeGreaterThan(2000);
		expect(requests).toBe(Math.ceil(out.length / 200));
		expect(requests).toBeGreaterThan(10);
		expect(new Set(out.map((r) => r.id)).size).toBe(out.length);
		expect(heavy().limited).toBe(0);
		for (const key of ['id', 'sessionId', 'startTime', 'duration', 'direction', 'type', 'result', 'from', 'to']) expect(out[0]).toHaveProperty(key);
		figures.push(`Return All: ${out.length} records in ${requests} pages, ${(ms / 1000).toFixed(1)} s; Heavy minimum ${(minimumMs(requests) / 1000).toFixed(1)} s; 429s: ${heavy().limited}`);
	}, 300_000);

	it('each filter: limit, type, direction, recording, dates, Detailed view with legs, extension scope', async () => {
		expect(await read({ scope: 'account', limit: 7 })).toHaveLength(7);
		const faxes = await read({ scope: 'account', type: 'Fax', dateFrom: from(), limit: 1000 });
		expect(faxes.length).toBeGreaterThan(0);
		expect(faxes.every((r) => r.type === 'Fax')).toBe(true);
		const outbound = await read({ scope: 'account', direction: 'Outbound', limit: 100 });
		expect(outbound.every((r) => r.direction === 'Outbound')).toBe(true);
		const recorded = await read({ scope: 'account', withRecording: true, limit: 50 });
		expect(recorded.length).toBeGreaterThan(0);
		expect(recorded.every((r) => r.recording?.id)).toBe(true);
		const dateTo = new Date(Date.now() - 2 * DAY).toISOString();
		const dateFrom = new Date(Date.now() - 3 * DAY).toISOString();
		const day = await read({ scope: 'account', dateFrom, dateTo, returnAll: true });
		expect(day.length).toBeGreaterThan(300);
		expect(day.every((r) => r.startTime >= dateFrom && r.startTime <= dateTo)).toBe(true);
		const detailed = await read({ scope: 'account', view: 'Detailed', limit: 3 });
		expect(detailed.every((r) => Array.isArray(r.legs) && r.legs.length > 0)).toBe(true);
		const own = await read({ scope: 'extension', limit: 200 });
		expect(own.every((r) => String(r.extension.id) === SIM_DEFAULTS.extensionId)).toBe(true);
		const bad = await read({ scope: 'account', dateFrom: 'last tuesday' });
		expect(bad[0]).toMatchObject({ reason: 'invalid_input', field: 'dateFrom' });
		expect(heavy().limited).toBe(0);
	}, 300_000);

	it('Get by id, call queues and their members', async () => {
		const one = await post('e2e/call-log/get', { id: 'LATEREC001' });
		expect(one.json[0]).toMatchObject({ id: 'LATEREC001' });
		expect(one.json[0].legs).toHaveLength(1);
		const missing = await post('e2e/call-log/get', { id: 'NOSUCHREC' });
		expect(missing.json[0]).toMatchObject({ reason: 'ringcentral_refused', httpCode: 404 });
		const list = (await post('e2e/call-queues', {})).json;
		expect(list.map((q: any) => q.name)).toEqual(['Support', 'Sales']);
		const people = (await post('e2e/call-queues/members', { queueId: list[0].id })).json;
		expect(people).toHaveLength(3);
		expect(people[0]).toMatchObject({ queueId: list[0].id, extensionNumber: '101' });
		const bad = (await post('e2e/call-queues/members', { queueId: '1; DROP' })).json;
		expect(bad[0]).toMatchObject({ reason: 'invalid_input', field: 'queueId' });
	}, 120_000);
});
