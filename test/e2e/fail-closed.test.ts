/**
 * Fail closed in a real n8n, with the templates as shipped: when the OTP Store credential is broken (a
 * pepper that is too short) or deleted, the OTP API and the Genesys services answer their error reply —
 * never "approved", "pending" or "success" — and no SMS leaves. And Retry On Fail on a Send never texts
 * anyone twice: the node refuses to run with it.
 */
import { randomUUID } from 'node:crypto';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../simulator';
import { E2E_TIMEOUT_MS, PACKAGE_NODE_PREFIX, startN8n, type N8nInstance } from './harness';
import { OTP_API_HEADERS, TEMPLATE_TEST_ENV, loadTemplate, templateCredentials, type TemplateJson } from './browser/templates';

let sim: Simulator;
let n8n: N8nInstance;

const OTP_TYPES = [`${PACKAGE_NODE_PREFIX}.otpGenerate`, `${PACKAGE_NODE_PREFIX}.otpVerify`];

/**
 * A copy of a template under its own id and URL prefix whose OTP nodes point at an OTP Store credential
 * that was deleted (n8n refuses to publish a node with no credential at all, so this is how a user gets there).
 */
function withDeletedOtpCredential(t: TemplateJson, prefix: string): TemplateJson {
	const copy = JSON.parse(JSON.stringify(t)) as TemplateJson & { id: string; name: string };
	copy.id = `${t.id}`.slice(0, 10) + 'NoCred01';
	copy.name = `${t.name} (OTP credential deleted)`;
	for (const node of copy.nodes as unknown as Array<{ type: string; parameters: Record<string, unknown>; credentials?: Record<string, unknown>; webhookId?: string; id: string }>) {
		node.id = randomUUID();
		if (node.webhookId) node.webhookId = randomUUID();
		if (node.type === 'n8n-nodes-base.webhook') node.parameters.path = `${prefix}/${String(node.parameters.path)}`;
		if (OTP_TYPES.includes(node.type) && node.credentials) node.credentials.otpStoreApi = { id: 'DeletedOtpCred01', name: 'OTP Store (deleted)' };
	}
	return copy;
}

const retryWorkflow = {
	id: 'FailClosedRetry01',
	name: 'Send with Retry On Fail (e2e)',
	nodes: [
		{ id: randomUUID(), name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2.1, position: [0, 0], webhookId: randomUUID(), parameters: { httpMethod: 'POST', path: 'fail-closed/retry', responseMode: 'lastNode', options: {} } },
		{
			id: randomUUID(),
			name: 'Send SMS',
			type: `${PACKAGE_NODE_PREFIX}.ringCentral`,
			typeVersion: 1,
			position: [220, 0],
			parameters: { resource: 'sms', operation: 'send', from: 'auto', to: '={{ $json.body.to }}', text: 'Hello', options: {} },
			credentials: { ringCentralJwtApi: { id: 'RcSimCredential1', name: 'RingCentral (simulator)' } },
			retryOnFail: true,
			maxTries: 3,
			waitBetweenTries: 0,
			onError: 'continueRegularOutput',
		},
	],
	connections: { Webhook: { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
	const shipped = [loadTemplate('otpApi'), loadTemplate('genesys')];
	const templates = [...shipped, ...shipped.map((t) => withDeletedOtpCredential(t, 'nocred'))];
	const credentials = (templateCredentials(shipped, sim.url) as Array<{ type: string; data: Record<string, unknown> }>).map((c) =>
		c.type === 'otpStoreApi' ? { ...c, data: { ...c.data, pepper: 'too-short-pepper' } } : c,
	);
	credentials.push({
		id: 'RcSimCredential1',
		name: 'RingCentral (simulator)',
		type: 'ringCentralJwtApi',
		data: { serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt },
	} as never);
	n8n = await startN8n({ workflows: [...templates, retryWorkflow], credentials, env: TEMPLATE_TEST_ENV });
}, E2E_TIMEOUT_MS);

afterAll(async () => {
	await n8n?.stop();
	await sim?.close();
});

async function post(path: string, init: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string> }) {
	const headers: Record<string, string> = { ...init.headers };
	let body: string;
	if (init.form) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		body = new URLSearchParams(init.form).toString();
	} else {
		headers['content-type'] = 'application/json';
		body = JSON.stringify(init.json ?? {});
	}
	const res = await fetch(n8n.webhookUrl(path), { method: 'POST', headers, body });
	return { status: res.status, text: await res.text() };
}

describe.each([
	['a pepper that is too short', ''],
	['its OTP Store credential deleted', 'nocred/'],
])('OTP templates with %s', (_what, prefix) => {
	it('OTP API: send answers 503 (no "pending", no SMS); verify of a made-up code answers 503 (never "approved")', async () => {
		const before = sim.messages().length;
		const sent = await post(`${prefix}otp/send`, { headers: OTP_API_HEADERS, json: { phone: '+16505550123' } });
		expect(sent.status).toBe(503);
		expect(sent.text).not.toContain('pending');
		const verified = await post(`${prefix}otp/verify`, { headers: OTP_API_HEADERS, json: { phone: '+16505550123', code: '123456' } });
		expect(verified.status).toBe(503);
		expect(verified.text).not.toContain('approved');
		expect(sim.messages().length).toBe(before);
		// Nothing secret or internal in what the caller reads.
		expect(sent.text + verified.text).not.toMatch(/pepper|stack|at \w+ \(/i);
	});

	it('Genesys: send-code answers error and verify-code answers failure for a made-up code', async () => {
		const before = sim.messages().length;
		const sent = await post(`${prefix}ringcentral/genesys/send-code`, { form: { accountNumber: '100200300', TwoFactorAuthSelectedMethod: 'SMS' } });
		expect(sent.text).toContain('<sendAuthenticationCode><status>error</status></sendAuthenticationCode>');
		const verified = await post(`${prefix}ringcentral/genesys/verify-code`, { form: { accountNumber: '100200300', authCode_nbest1: '123456' } });
		expect(verified.text).toContain('<codeAuthentication><status>failure</status></codeAuthentication>');
		expect(verified.text).not.toContain('success');
		expect(sim.messages().length).toBe(before);
	});
});

it('Retry On Fail on RingCentral Send: refused with the reason, and nobody is texted (n8n ran the node 3 times)', async () => {
	const before = sim.messages().length;
	const r = await post('fail-closed/retry', { json: { to: '+16505550123' } });
	expect(r.text).toMatch(/Retry On Fail is on/);
	expect(sim.messages().length).toBe(before);
});
