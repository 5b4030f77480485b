/**
 * Foundation story in a real n8n: "Webhook → RingCentral Send SMS", imported and published as a user
 * would, sends through the simulator with one login for any number of executions, and refuses bad input
 * with a clear item error while sending nothing.
 */
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../simulator';
import { E2E_TIMEOUT_MS, PACKAGE_NODE_PREFIX, newId, nodeOutput, startN8n, type N8nInstance } from './harness';

const PATH = 'e2e/ringcentral/send';
let sim: Simulator;
let n8n: N8nInstance;
const workflowId = newId();
const credentialId = newId();

function workflow() {
	return {
		id: workflowId,
		name: 'E2E: Webhook → RingCentral Send SMS',
		nodes: [
			{
				id: 'a0000000-0000-4000-8000-000000000001',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'a0000000-0000-4000-8000-0000000000a1',
				parameters: { httpMethod: 'POST', path: PATH, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			},
			{
				id: 'a0000000-0000-4000-8000-000000000002',
				name: 'Send SMS',
				type: `${PACKAGE_NODE_PREFIX}.ringCentral`,
				typeVersion: 1,
				position: [220, 0],
				onError: 'continueRegularOutput',
				credentials: { ringCentralJwtApi: { id: credentialId, name: 'RingCentral (simulator)' } },
				parameters: {
					resource: 'sms',
					operation: 'send',
					from: '={{ $json.body.from || "auto" }}',
					to: '={{ $json.body.to }}',
					text: '={{ $json.body.text }}',
					options: { defaultCountry: 'US', timeoutSeconds: 20 },
				},
			},
		],
		connections: { Webhook: { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

async function call(body: Record<string, unknown>): Promise<any[]> {
	const res = await fetch(n8n.webhookUrl(PATH), {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	expect(res.status).toBe(200);
	return (await res.json()) as any[];
}

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
	n8n = await startN8n({
		workflows: [workflow()],
		credentials: [
			{
				id: credentialId,
				name: 'RingCentral (simulator)',
				type: 'ringCentralJwtApi',
				data: { serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt },
			},
		],
		env: { N8N_RINGCENTRAL_SMS_PER_MINUTE: '100000', N8N_RINGCENTRAL_LIGHT_PER_MINUTE: '100000' },
	});
}, E2E_TIMEOUT_MS);

afterAll(async () => {
	await n8n?.stop();
	await sim?.close();
}, 60_000);

beforeEach(() => {
	sim.reset();
	sim.configure({ limits: { light: 100000, medium: 100000, heavy: 100000, auth: 5 } });
});

describe('Webhook → RingCentral Send SMS in a real n8n', () => {
	it('200 executions cause exactly one token request and every message has an E.164 recipient', async () => {
		const formats = ['16505550123', '6505550123', '+1 (650) 555-0123', '001-650-555-0123'];
		const started = Date.now();
		for (let batch = 0; batch < 20; batch++) {
			await Promise.all(
				Array.from({ length: 10 }, (_, j) => {
					const i = batch * 10 + j;
					return call({ to: formats[i % formats.length], text: `e2e message ${i}` });
				}),
			);
		}
		const throughN8nMs = (Date.now() - started) / 200;
		const logins = sim.stats().jwtLogins;
		const messages = sim.messages();
		expect(messages).toHaveLength(200);
		expect(messages.every((m) => m.to.length === 1 && m.to[0] === '+16505550123')).toBe(true);
		expect(new Set(messages.map((m) => m.text)).size).toBe(200);
		expect(sim.stats().tokenRequests).toBe(1);
		expect(sim.stats().jwtLogins).toBe(1);

		// For the issue note: the same 200 sends straight to the simulator with a fixed token, same concurrency.
		const token = await (
			await fetch(`${sim.url}/restapi/oauth/token`, {
				method: 'POST',
				headers: {
					authorization: `Basic ${Buffer.from(`${SIM_DEFAULTS.clientId}:${SIM_DEFAULTS.clientSecret}`).toString('base64')}`,
					'content-type': 'application/x-www-form-urlencoded',
				},
				body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: SIM_DEFAULTS.jwt }),
			})
		).json();
		const directStarted = Date.now();
		for (let batch = 0; batch < 20; batch++) {
			await Promise.all(
				Array.from({ length: 10 }, () =>
					fetch(`${sim.url}/restapi/v1.0/account/~/extension/~/sms`, {
						method: 'POST',
						headers: { authorization: `Bearer ${(token as any).access_token}`, 'content-type': 'application/json' },
						body: JSON.stringify({ from: { phoneNumber: SIM_DEFAULTS.smsNumbers[0] }, to: [{ phoneNumber: '+16505550123' }], text: 'direct' }),
					}).then((r) => r.arrayBuffer()),
				),
			);
		}
		const directMs = (Date.now() - directStarted) / 200;
		process.stderr.write(
			`[e2e figures] 200 sends: ${logins} login(s) through n8n; ${throughN8nMs.toFixed(1)} ms per send through n8n (concurrency 10) vs ${directMs.toFixed(1)} ms calling the simulator directly\n`,
		);
	}, 300_000);

	it('sends one message per recipient and reports each', async () => {
		const out = await call({ to: '+16505550123, 4155550100', text: 'two people' });
		expect(out).toHaveLength(2);
		expect(out.map((o) => o.to).sort()).toEqual(['+14155550100', '+16505550123']);
		expect(out.every((o) => /^\d+$/.test(o.messageId) && o.status === 'Queued' && o.segments === 1)).toBe(true);
		expect(out[0].from).toBe(SIM_DEFAULTS.smsNumbers[0]);
		expect(sim.messages()).toHaveLength(2);
	});

	it.each([
		['an invalid number', { to: '+1 650 111 2222', text: 'x' }, /To: .*not a phone number/],
		['letters for a number', { to: 'call me', text: 'x' }, /letters/],
		['one bad number among good ones', { to: '+16505550123, 12345', text: 'x' }, /12345/],
		['empty text', { to: '+16505550123', text: '' }, /Text is empty/],
		['over-long text', { to: '+16505550123', text: 'a'.repeat(1001) }, /1001 UTF-16 units/],
	])('%s fails the item with a clear message and sends nothing', async (_case, body, message) => {
		const out = await call(body);
		expect(out).toHaveLength(1);
		expect(out[0].error).toMatch(message);
		expect(sim.messages()).toHaveLength(0);
		expect(sim.stats().smsAccepted + sim.stats().smsRejected).toBe(0);
	});

	it("a From number of another extension fails with the extension's own numbers listed", async () => {
		const out = await call({ to: '+16505550123', text: 'x', from: SIM_DEFAULTS.second.smsNumbers[0] });
		expect(out[0].error).toContain(`The From number ${SIM_DEFAULTS.second.smsNumbers[0]}`);
		expect(out[0].error).toContain(SIM_DEFAULTS.smsNumbers[0]);
		expect(out[0].errorCode).toBe('MSG-245');
		expect(sim.messages()).toHaveLength(0);
	});

	it('keeps secrets out of the saved execution data', async () => {
		await call({ to: '+16505550123', text: 'look for secrets' });
		const executions = await n8n.rest.listExecutions({ workflowId });
		const detail = await n8n.rest.getExecution(executions[0].id);
		const saved = JSON.stringify(detail);
		expect(saved).not.toContain(SIM_DEFAULTS.clientSecret);
		expect(saved).not.toContain(SIM_DEFAULTS.jwt);
		expect(nodeOutput(detail, 'Send SMS')[0].to).toBe('+16505550123');
	});

	describe('credential test (what the user sees when pressing Test)', () => {
		const test = async (data: Record<string, string>) =>
			(await n8n.rest.request('POST', '/rest/credentials/test', {
				credentials: {
					id: credentialId,
					name: 'RingCentral (simulator)',
					type: 'ringCentralJwtApi',
					data: { serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt, ...data },
				},
			})) as { status: string; message: string };

		it('passes with the extension and its SMS numbers named', async () => {
			const result = await test({});
			expect(result.status).toBe('OK');
			expect(result.message).toContain(SIM_DEFAULTS.smsNumbers[0]);
		});

		it.each([
			['a wrong client secret', { clientSecret: 'not-the-secret' }, /Client ID or Client Secret/],
			['an expired JWT', { jwt: SIM_DEFAULTS.expiredJwt }, /rejected the JWT/],
			['an app without the SMS permission', { jwt: SIM_DEFAULTS.noSms.jwt }, /lacks the SMS permission/],
			['a server that is not there', { serverUrl: 'http://127.0.0.1:9' }, /Could not reach RingCentral/],
		])('explains %s in plain words', async (_case, data, message) => {
			const result = await test(data);
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(message);
			expect(result.message).not.toContain('not-the-secret');
		});
	});
});
