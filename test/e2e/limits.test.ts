/**
 * Rate limits in a real n8n, with no package setting changed: the plain "Webhook → Send" and "rows → Send"
 * flows deliver everything, paced at the budget RingCentral states in its headers, with zero 429s; and a
 * stalled token endpoint gives "not sent" within the Time Budget, never "outcome unknown".
 *
 * Each case uses its own credential (its own session and budget), because the limiter remembers what the
 * platform told it. Figures (elapsed times) are printed, not asserted.
 */
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../simulator';
import { E2E_TIMEOUT_MS, PACKAGE_NODE_PREFIX, newId, startN8n, type N8nInstance } from './harness';

let sim: Simulator;
let n8n: N8nInstance;
const creds = { main: newId(), second: newId(), fresh: newId() };
const figures: string[] = [];

function webhookToSend(path: string, credentialId: string, options: Record<string, unknown>, splitRows = false) {
	const id = (n: number) => `b${String(n).padStart(7, '0')}-0000-4000-8000-${path.replace(/\W/g, '').slice(-12).padStart(12, '0')}`;
	const nodes: any[] = [
		{
			id: id(1),
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: newId(),
			parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
		},
		{
			id: id(3),
			name: 'Send SMS',
			type: `${PACKAGE_NODE_PREFIX}.ringCentral`,
			typeVersion: 1,
			position: [440, 0],
			onError: 'continueRegularOutput',
			credentials: { ringCentralJwtApi: { id: credentialId, name: credentialId } },
			parameters: {
				resource: 'sms',
				operation: 'send',
				from: 'auto',
				to: splitRows ? '={{ $json.to }}' : '={{ $json.body.to }}',
				text: splitRows ? '={{ $json.text }}' : '={{ $json.body.text }}',
				options,
			},
		},
	];
	const connections: Record<string, unknown> = {};
	if (splitRows) {
		nodes.push({ id: id(2), name: 'Rows', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [220, 0], parameters: { fieldToSplitOut: 'body.rows', options: {} } });
		connections.Webhook = { main: [[{ node: 'Rows', type: 'main', index: 0 }]] };
		connections.Rows = { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] };
	} else connections.Webhook = { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] };
	return { id: newId(), name: `E2E limits: ${path}`, nodes, connections, settings: { executionOrder: 'v1' } };
}

const credential = (id: string, jwt: string, serverUrl = sim.url) => ({
	id,
	name: id,
	type: 'ringCentralJwtApi',
	data: { serverUrl, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt },
});

async function call(path: string, body: unknown): Promise<any[]> {
	const res = await fetch(n8n.webhookUrl(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	expect(res.status).toBe(200);
	return (await res.json()) as any[];
}

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
	n8n = await startN8n({
		workflows: [
			webhookToSend('e2e/limits/send', creds.main, {}),
			webhookToSend('e2e/limits/rows', creds.main, {}, true),
			webhookToSend('e2e/limits/second', creds.second, {}),
			webhookToSend('e2e/limits/stalled', creds.fresh, { timeoutSeconds: 2 }),
		],
		// The fresh credential differs only in how the server is written: a session of its own, not logged in yet.
		credentials: [
			credential(creds.main, SIM_DEFAULTS.jwt),
			credential(creds.second, SIM_DEFAULTS.second.jwt),
			credential(creds.fresh, SIM_DEFAULTS.jwt, sim.url.replace('127.0.0.1', 'localhost')),
		],
	});
}, E2E_TIMEOUT_MS);

afterAll(async () => {
	process.stderr.write(`[e2e figures] rate limits:\n${figures.map((f) => `  ${f}`).join('\n')}\n`);
	await n8n?.stop();
	await sim?.close();
}, 60_000);

describe('Webhook → RingCentral Send with default settings', () => {
	it('a burst of 60 against 40 a minute: 60 of 60 delivered in about one window, zero 429s', async () => {
		sim.configure({ limits: { light: 50, medium: 40, heavy: 10, auth: 5 }, windowSeconds: 60 });
		const started = Date.now();
		const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => call('e2e/limits/send', { to: `+1650555${4000 + i}`, text: `burst ${i}` })));
		const elapsedS = (Date.now() - started) / 1000;
		expect(replies.every((r) => r.length === 1 && /^\d+$/.test(String(r[0].messageId)))).toBe(true);
		expect(sim.messages()).toHaveLength(60);
		expect(sim.stats().rateLimited).toBe(0);
		figures.push(`60 over 40/min: ${sim.messages().length}/60 delivered, ${sim.stats().rateLimited} 429s, ${elapsedS.toFixed(1)} s`);
	}, 240_000);

	it('100 rows in one execution: all 100 sent, paced, none fails for budget', async () => {
		sim.reset();
		// A 10 s window (stated in the headers, learned by the limiter) keeps the run short: 40 + 40 + 20.
		sim.configure({ limits: { light: 50, medium: 40, heavy: 10, auth: 5 }, windowSeconds: 10 });
		const rows = Array.from({ length: 100 }, (_, i) => ({ to: `+1650555${5000 + i}`, text: `row ${i}` }));
		const started = Date.now();
		const out = await call('e2e/limits/rows', { rows });
		const elapsedS = (Date.now() - started) / 1000;
		expect(out).toHaveLength(100);
		expect(out.filter((o) => o.error)).toEqual([]);
		expect(sim.messages()).toHaveLength(100);
		expect(sim.stats().rateLimited).toBe(0);
		figures.push(`100 rows against 40 per 10 s: ${out.length} sent, ${sim.stats().rateLimited} 429s, ${elapsedS.toFixed(1)} s`);
	}, 240_000);

	it('200 sequential sends against a high stated limit: one login, not paced to 40', async () => {
		sim.reset();
		sim.configure({ limits: { light: 1_000_000, medium: 1_000_000, heavy: 1_000_000, auth: 5 }, windowSeconds: 60 });
		const started = Date.now();
		for (let i = 0; i < 200; i++) {
			const [out] = await call('e2e/limits/second', { to: `+1650555${6000 + (i % 50)}`, text: `sequential ${i}` });
			expect(out.error).toBeUndefined();
		}
		const elapsedS = (Date.now() - started) / 1000;
		expect(sim.messages()).toHaveLength(200);
		expect(sim.stats().jwtLogins).toBe(1);
		expect(sim.stats().rateLimited).toBe(0);
		figures.push(`200 sequential against 1,000,000/min: ${sim.stats().jwtLogins} login, ${elapsedS.toFixed(1)} s`);
	}, 240_000);

	it('a stalled token endpoint gives "not sent" within the Time Budget, never "outcome unknown"', async () => {
		sim.reset();
		sim.setFaults({ path: '/restapi/oauth/token', delayMs: 6000 });
		const started = Date.now();
		const [out] = await call('e2e/limits/stalled', { to: '+16505557000', text: 'stalled login' });
		const elapsedS = (Date.now() - started) / 1000;
		expect(out.error).toMatch(/^Not sent: /);
		expect(out.error).not.toMatch(/outcome is unknown/i);
		expect(sim.messages()).toHaveLength(0);
		figures.push(`stalled token endpoint (6 s) with a 2 s Time Budget: "${String(out.error).slice(0, 60)}…" after ${elapsedS.toFixed(1)} s`);
	}, 120_000);
});
