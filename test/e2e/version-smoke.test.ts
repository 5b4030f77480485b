/**
 * One short pass through every node on one n8n version: the package loads, the RingCentral credential test
 * passes, the ManageEngine and OTP API templates work as shipped, the RingCentral node sends, and TOTP
 * creates and verifies. `npm test` runs it on the 1.x floor (N8N_E2E_VERSION=1.85.4, the oldest n8n the
 * README promises); it also runs in the main (2.40.7) and 2.x floor (2.8.4) runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as OTPAuth from 'otpauth';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../simulator';
import { E2E_TIMEOUT_MS, PACKAGE_NODE_PREFIX, REPO_ROOT, defaultN8nVersion, findPackageDirs, newId, startN8n, type N8nInstance } from './harness';
import { MANAGEENGINE_TOKEN, OTP_API_HEADERS, TEMPLATE_TEST_ENV, loadTemplate, templateCredentials } from './browser/templates';

const VERSION = defaultN8nVersion();
const PHONE = '+16505550123';
const uuid = (n: number) => `5a0c0e00-0000-4000-8000-${String(n).padStart(12, '0')}`;

let sim: Simulator;
let n8n: N8nInstance;
let rcRef: { id: string; name: string };

function webhook(n: number, webhookPath: string, responseMode: 'lastNode' | 'responseNode') {
	return {
		id: uuid(n),
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: uuid(900 + n),
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode, options: {} },
	};
}

function respond(n: number, name: string, code: number) {
	return {
		id: uuid(n),
		name,
		type: 'n8n-nodes-base.respondToWebhook',
		typeVersion: 1.1,
		position: [440, n * 60],
		parameters: { respondWith: 'json', responseBody: '={{ JSON.stringify($json) }}', options: { responseCode: code } },
	};
}

const otpStoreRef = { id: newId(), name: 'OTP Store (smoke)' };

function smokeWorkflows(rcRef: { id: string; name: string }) {
	const send = {
		id: newId(),
		name: 'Smoke: RingCentral send',
		nodes: [
			webhook(1, 'smoke/send', 'lastNode'),
			{
				id: uuid(2),
				name: 'Send SMS',
				type: `${PACKAGE_NODE_PREFIX}.ringCentral`,
				typeVersion: 1,
				position: [220, 0],
				credentials: { ringCentralJwtApi: rcRef },
				parameters: { resource: 'sms', operation: 'send', from: 'auto', to: '={{ $json.body.to }}', text: '={{ $json.body.text }}', options: {} },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	const totpCreate = {
		id: newId(),
		name: 'Smoke: TOTP create',
		nodes: [
			webhook(11, 'smoke/totp/create', 'responseNode'),
			{
				id: uuid(12),
				name: 'TOTP',
				type: `${PACKAGE_NODE_PREFIX}.totp`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { operation: 'createSecret', issuer: 'Smoke', account: '={{ $json.body.account }}', options: {} },
			},
			respond(13, 'Not Created', 500),
			respond(14, 'Created', 200),
		],
		connections: {
			Webhook: { main: [[{ node: 'TOTP', type: 'main', index: 0 }]] },
			// Output 0 is Denied, output 1 Approved / Created.
			TOTP: { main: [[{ node: 'Not Created', type: 'main', index: 0 }], [{ node: 'Created', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
	const totpVerify = {
		id: newId(),
		name: 'Smoke: TOTP verify',
		nodes: [
			webhook(21, 'smoke/totp/verify', 'responseNode'),
			{
				id: uuid(22),
				name: 'TOTP',
				type: `${PACKAGE_NODE_PREFIX}.totp`,
				typeVersion: 1,
				position: [220, 0],
				credentials: { otpStoreApi: otpStoreRef },
				parameters: {
					operation: 'verify',
					identifier: '={{ $json.body.account }}',
					secret: '={{ $json.body.secret }}',
					code: '={{ $json.body.code }}',
					verifyOptions: { identifierType: 'text' },
				},
			},
			respond(23, 'Approved', 200),
			respond(24, 'Denied', 403),
		],
		connections: {
			Webhook: { main: [[{ node: 'TOTP', type: 'main', index: 0 }]] },
			TOTP: { main: [[{ node: 'Denied', type: 'main', index: 0 }], [{ node: 'Approved', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
	return [send, totpCreate, totpVerify];
}

async function call(webhookPath: string, init: { query?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {}) {
	const qs = init.query ? `?${new URLSearchParams(init.query)}` : '';
	const res = await fetch(n8n.webhookUrl(webhookPath) + qs, {
		method: init.json === undefined ? 'GET' : 'POST',
		headers: { ...init.headers, ...(init.json === undefined ? {} : { 'content-type': 'application/json' }) },
		body: init.json === undefined ? undefined : JSON.stringify(init.json),
	});
	return { status: res.status, text: await res.text() };
}

/** The type names of every node and credential package.json declares, read from the built files it lists. */
function declaredTypes(): { nodes: string[]; credentials: string[] } {
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
	// n8n's rule: the class is named like the file (`dist/nodes/Totp/Totp.node.js` exports `Totp`).
	const load = (file: string) => (require(path.join(REPO_ROOT, file)) as Record<string, new () => any>)[path.basename(file).split('.')[0]];
	return {
		nodes: (pkg.n8n.nodes as string[]).map((f) => new (load(f))().description.name as string),
		credentials: (pkg.n8n.credentials as string[]).map((f) => new (load(f))().name as string),
	};
}

const smsTo = (to: string, since: number) => sim.messages().slice(since).filter((m) => m.to.includes(to));

beforeAll(async () => {
	sim = await startSimulator({ port: 0, latencyMs: 0 });
	const templates = [loadTemplate('manageEngine'), loadTemplate('otpApi')];
	const credentials = templateCredentials(templates, sim.url) as Array<{ id: string; name: string; type: string; data: object }>;
	const rc = credentials.find((c) => c.type === 'ringCentralJwtApi');
	const store = credentials.find((c) => c.type === 'otpStoreApi');
	if (!rc || !store) throw new Error('the ManageEngine and OTP API templates no longer use a RingCentral and an OTP Store credential');
	credentials.push({ ...store, ...otpStoreRef });
	rcRef = { id: rc.id, name: rc.name };
	n8n = await startN8n({
		version: VERSION,
		workflows: [...templates, ...smokeWorkflows(rcRef)],
		credentials,
		env: TEMPLATE_TEST_ENV,
	});
	process.stderr.write(`[e2e] smoke on n8n ${n8n.version} (node ${n8n.install.node}): timings ${JSON.stringify(n8n.timings)}\n`);
}, E2E_TIMEOUT_MS);

afterAll(async () => {
	await n8n?.stop();
	await sim?.close();
}, 60_000);

describe(`n8n ${VERSION}: every node of the package, briefly`, () => {
	test('the package loads from its tarball: every node and credential type it declares, no second n8n-workflow', async () => {
		const declared = declaredTypes();
		expect(declared.nodes).toEqual(expect.arrayContaining(['ringCentral', 'smsGatewayTrigger', 'smsGatewayReply', 'otpGenerate', 'otpVerify', 'totp']));
		const nodes = (await n8n.rest.nodeTypes()).map((t) => t.name);
		for (const name of declared.nodes) expect(nodes).toContain(`${PACKAGE_NODE_PREFIX}.${name}`);
		const credentials = (await n8n.rest.credentialTypes()).map((t) => t.name);
		expect(credentials).toEqual(expect.arrayContaining(declared.credentials));
		const modules = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules');
		expect(fs.existsSync(path.join(modules, PACKAGE_NODE_PREFIX, 'package.json'))).toBe(true);
		expect(findPackageDirs(modules, 'n8n-workflow')).toEqual([]);
	});

	test('the RingCentral credential test passes and names the SMS number', async () => {
		// A saved credential: n8n 2.40 answers 403 to a test of an id it does not store.
		const result = await n8n.rest.request<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: {
				...rcRef,
				type: 'ringCentralJwtApi',
				data: { serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt },
			},
		});
		expect(result.status).toBe('OK');
		expect(result.message).toContain(SIM_DEFAULTS.smsNumbers[0]);
	});

	test('ManageEngine template: GET with the caller token → success and the SMS reaches +16505550123; a bad number → failure, no SMS', async () => {
		const since = sim.messages().length;
		const ok = await call('ringcentral/manageengine', { query: { mobileNumber: '16505550123', message: 'smoke code 424242', token: MANAGEENGINE_TOKEN } });
		expect(ok.status).toBe(200);
		expect(ok.text).toContain('success');
		expect(smsTo(PHONE, since).map((m) => m.text)).toEqual(['smoke code 424242']);
		const bad = await call('ringcentral/manageengine', { query: { mobileNumber: '12345', message: 'x', token: MANAGEENGINE_TOKEN } });
		expect(bad.status).toBeGreaterThanOrEqual(400);
		expect(bad.text).toMatch(/^failure: /);
		expect(sim.messages().length).toBe(since + 1);
	});

	test('OTP API template (with its API key): the texted code is approved once, then denied', async () => {
		const phone = '+16505550142';
		const since = sim.messages().length;
		const sent = await call('otp/send', { headers: OTP_API_HEADERS, json: { phone, purpose: 'login' } });
		expect(sent.status).toBe(200);
		expect(JSON.parse(sent.text).status).toBe('pending');
		const sms = smsTo(phone, since);
		expect(sms).toHaveLength(1);
		const code = /\b(\d{6})\b/.exec(sms[0].text)?.[1] as string;
		expect(code).toMatch(/^\d{6}$/);
		expect(sent.text).not.toContain(code);
		const ok = await call('otp/verify', { headers: OTP_API_HEADERS, json: { phone, code, purpose: 'login' } });
		expect(ok.status).toBe(200);
		expect(JSON.parse(ok.text)).toEqual({ status: 'approved' });
		expect((await call('otp/verify', { headers: OTP_API_HEADERS, json: { phone, code, purpose: 'login' } })).status).toBe(403);
	});

	test('RingCentral node: Send SMS returns the message record for an E.164 recipient', async () => {
		const since = sim.messages().length;
		const res = await call('smoke/send', { json: { to: '(650) 555-0123', text: 'smoke send' } });
		expect(res.status).toBe(200);
		const out = JSON.parse(res.text);
		expect(out).toMatchObject({ to: PHONE, from: SIM_DEFAULTS.smsNumbers[0] });
		expect(String(out.messageId)).not.toBe('');
		expect(smsTo(PHONE, since).map((m) => m.text)).toEqual(['smoke send']);
	});

	test('TOTP: a created secret verifies the current code once; the same code again is denied', async () => {
		const created = await call('smoke/totp/create', { json: { account: 'smoke@example.com' } });
		expect(created.status).toBe(200);
		const { secret, uri } = JSON.parse(created.text);
		expect(uri).toMatch(/^otpauth:\/\/totp\//);
		const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
		const body = { account: 'smoke@example.com', secret, code };
		const ok = await call('smoke/totp/verify', { json: body });
		expect(ok.status).toBe(200);
		expect(JSON.parse(ok.text)).toMatchObject({ approved: true });
		const replay = await call('smoke/totp/verify', { json: body });
		expect(replay.status).toBe(403);
		expect(JSON.parse(replay.text)).toMatchObject({ approved: false, reason: 'replayed' });
	});
});
