/**
 * OTP in a real n8n: Webhook → OTP Generate (texts the code through the RingCentral simulator) and
 * Webhook → OTP Verify. The point of send mode is that the code never reaches n8n's saved execution
 * data, so the test reads the code from the simulator (the "phone") and searches every saved execution.
 */
import Redis from 'ioredis';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../simulator';
import { E2E_TIMEOUT_MS, newId, PACKAGE_NODE_PREFIX, startN8n, type N8nInstance } from './harness';

const PEPPER = 'e2e0c0ffee0123456789abcdef0123456789abcdef0123456789abcdef012345';
const PHONE = '+16505550123';

let n8n: N8nInstance;
let sim: Simulator;

const uuid = (n: number) => `0f0e0d0c-0000-4000-8000-${String(n).padStart(12, '0')}`;

function respond(n: number, name: string, code: number, body: string, x: number) {
	return {
		id: uuid(n),
		name,
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1.1,
		position: [x, n * 60],
		parameters: { respondWith: 'json', responseBody: body, options: { responseCode: code } },
	};
}

function webhook(n: number, path: string) {
	return {
		id: uuid(n),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		position: [0, 0],
		webhookId: uuid(900 + n),
		parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} },
	};
}

/** The three workflows and two credentials of one n8n instance; `store` is the OTP Store credential's data. */
function fixture(store: Record<string, unknown>) {
	const otpCredentialId = newId();
	const rcCredentialId = newId();
	const ids = { send: newId(), verify: newId(), output: newId() };
	const credentials = {
		otpStoreApi: { id: otpCredentialId, name: 'OTP Store (e2e)' },
		ringCentralJwtApi: { id: rcCredentialId, name: 'RingCentral (simulator)' },
	};
	const sendWorkflow = {
		id: ids.send,
		name: 'OTP send (e2e)',
		nodes: [
			webhook(1, 'otp-send'),
			{
				id: uuid(2),
				name: 'OTP Generate',
				type: `${PACKAGE_NODE_PREFIX}.otpGenerate`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { identifier: '={{ $json.body.phone }}', purpose: 'login', delivery: 'send', from: 'auto', options: {} },
				credentials,
			},
			respond(3, 'Sent', 200, '={{ JSON.stringify({ verificationId: $json.verificationId, to: $json.to }) }}', 440),
			respond(4, 'Too Many', 429, '={{ JSON.stringify({ error: "too many requests", retryAfterSeconds: $json.retryAfterSeconds }) }}', 440),
		],
		connections: {
			Webhook: { main: [[{ node: 'OTP Generate', type: 'main', index: 0 }]] },
			// Output 0 is Not Issued (limits), output 1 Issued.
			'OTP Generate': { main: [[{ node: 'Too Many', type: 'main', index: 0 }], [{ node: 'Sent', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
	const verifyWorkflow = {
		id: ids.verify,
		name: 'OTP verify (e2e)',
		nodes: [
			webhook(11, 'otp-verify'),
			{
				id: uuid(12),
				name: 'OTP Verify',
				type: `${PACKAGE_NODE_PREFIX}.otpVerify`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { identifier: '={{ $json.body.phone }}', purpose: 'login', code: '={{ $json.body.code }}', options: {} },
				credentials: { otpStoreApi: credentials.otpStoreApi },
			},
			respond(13, 'Approved', 200, '={{ JSON.stringify({ ok: true }) }}', 440),
			respond(14, 'Denied', 401, '={{ JSON.stringify({ ok: false, message: $json.userMessage }) }}', 440),
		],
		connections: {
			Webhook: { main: [[{ node: 'OTP Verify', type: 'main', index: 0 }]] },
			// Output 0 is Denied, output 1 Approved.
			'OTP Verify': { main: [[{ node: 'Denied', type: 'main', index: 0 }], [{ node: 'Approved', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
	/** The control: output mode does put the code in execution data, so the search can find it. */
	const outputWorkflow = {
		id: ids.output,
		name: 'OTP output mode (e2e)',
		nodes: [
			webhook(21, 'otp-output'),
			{
				id: uuid(22),
				name: 'OTP Generate',
				type: `${PACKAGE_NODE_PREFIX}.otpGenerate`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { identifier: '={{ $json.body.user }}', purpose: 'login', delivery: 'output', output: 'message', options: {} },
				credentials: { otpStoreApi: credentials.otpStoreApi },
			},
			respond(23, 'Done', 200, '={{ JSON.stringify({ verificationId: $json.verificationId }) }}', 440),
		],
		connections: { Webhook: { main: [[{ node: 'OTP Generate', type: 'main', index: 0 }]] }, 'OTP Generate': { main: [[], [{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	return {
		ids,
		workflows: [sendWorkflow, verifyWorkflow, outputWorkflow],
		credentials: [
			{ id: otpCredentialId, name: 'OTP Store (e2e)', type: 'otpStoreApi', data: { pepper: PEPPER, ...store } },
			{
				id: rcCredentialId,
				name: 'RingCentral (simulator)',
				type: 'ringCentralJwtApi',
				data: { serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt },
			},
		],
	};
}

async function post(path: string, body: object): Promise<{ status: number; body: any }> {
	const res = await fetch(n8n.webhookUrl(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function lastCode(): string {
	const texts = sim.messages({ to: PHONE }).map((m) => m.text);
	const match = /\b(\d{6})\b/.exec(texts[texts.length - 1] ?? '');
	if (!match) throw new Error('the simulator received no SMS with a code');
	return match[1];
}

const DENIED = { status: 401, body: { ok: false, message: 'The code is invalid or has expired.' } };

describe('OTP nodes in a real n8n (memory store, one process)', () => {
	let ids: { send: string; verify: string; output: string };

	beforeAll(async () => {
		sim = await startSimulator({ port: 0, latencyMs: 0 });
		const f = fixture({ storeType: 'memory' });
		ids = f.ids;
		n8n = await startN8n({ workflows: f.workflows, credentials: f.credentials });
	}, E2E_TIMEOUT_MS);

	afterAll(async () => {
		await n8n?.stop();
		await sim?.close();
	}, 60_000);

	it('sends the code by SMS, approves it once, and keeps it out of every saved execution of the send', async () => {
		const sent = await post('otp-send', { phone: '(650) 555-0123' });
		expect(sent).toEqual({ status: 200, body: { verificationId: expect.any(String), to: '+1650•••0123' } });
		const code = lastCode();
		expect(sim.messages({ to: PHONE })[0].text).toBe(`Your code is ${code}. It expires in 10 minutes.`);

		// A second request right away hits the resend cooldown: HTTP 429 from the Not Issued output.
		const again = await post('otp-send', { phone: PHONE });
		expect(again.status).toBe(429);
		expect(again.body.retryAfterSeconds).toBeGreaterThan(0);
		expect(sim.messages({ to: PHONE })).toHaveLength(1);

		const wrong = code.replace(/.$/, (d) => String((Number(d) + 1) % 10));
		expect(await post('otp-verify', { phone: PHONE, code: wrong })).toEqual(DENIED);
		expect(await post('otp-verify', { phone: '6505550123', code })).toEqual({ status: 200, body: { ok: true } });
		// Single use, and an unknown number gets the very same answer as a wrong code.
		expect(await post('otp-verify', { phone: PHONE, code })).toEqual(DENIED);
		expect(await post('otp-verify', { phone: '+16505550177', code })).toEqual(DENIED);

		const sendExecutions = await n8n.rest.listExecutions({ workflowId: ids.send });
		expect(sendExecutions.length).toBe(2);
		for (const summary of sendExecutions) {
			const detail = await n8n.rest.getExecution(summary.id);
			expect(detail.rawData.length).toBeGreaterThan(100);
			// As a whole number: a 6-digit run inside a timestamp or id is not the code.
			expect(detail.rawData).not.toMatch(new RegExp(`(?<!\\d)${code}(?!\\d)`));
			expect(detail.rawData).not.toContain('Your code is');
		}
		expect(await n8n.rest.listExecutions({ workflowId: ids.verify })).toHaveLength(4);
	});

	it('control: in output mode the message with the code is in the saved execution (the search above would see it)', async () => {
		expect((await post('otp-output', { user: 'Alice' })).status).toBe(200);
		const [summary] = await n8n.rest.listExecutions({ workflowId: ids.output });
		const detail = await n8n.rest.getExecution(summary.id);
		const match = /Your code is (\d{6})\./.exec(detail.rawData);
		expect(match).not.toBeNull();
		expect(detail.rawData).toMatch(new RegExp(`(?<!\\d)${match?.[1]}(?!\\d)`));
	});
});

describe('OTP nodes in n8n queue mode (Redis store shared by 2 workers)', () => {
	const keyPrefix = `n8n-otp-e2e-${process.pid}-${Date.now().toString(36)}:`;
	const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });

	beforeAll(async () => {
		sim = await startSimulator({ port: 0, latencyMs: 0 });
		const f = fixture({ storeType: 'redis', host: '127.0.0.1', port: 6379, database: 0, keyPrefix });
		n8n = await startN8n({ workflows: f.workflows, credentials: f.credentials, queueMode: { workers: 2, concurrency: 10 } });
		await redis.connect();
	}, E2E_TIMEOUT_MS);

	afterAll(async () => {
		await n8n?.stop();
		await sim?.close();
		const keys = await redis.keys(`${keyPrefix}*`);
		if (keys.length) await redis.del(...keys);
		redis.disconnect();
	}, 60_000);

	it('20 simultaneous verifications of the right code across workers: exactly one approval; Redis holds no code or number', async () => {
		expect((await post('otp-send', { phone: PHONE })).status).toBe(200);
		const code = lastCode();
		const answers = await Promise.all(Array.from({ length: 20 }, () => post('otp-verify', { phone: PHONE, code })));
		expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
		expect(answers.filter((a) => a.status === 401)).toHaveLength(19);

		const keys = await redis.keys(`${keyPrefix}*`);
		expect(keys.length).toBeGreaterThan(0);
		const dump = JSON.stringify(await Promise.all(keys.map(async (k) => [k, await redis.hgetall(k)])));
		for (const secret of ['6505550123', code]) expect(dump).not.toMatch(new RegExp(`(?<!\\d)${secret.replace('+', '')}(?!\\d)`));
	});
});
