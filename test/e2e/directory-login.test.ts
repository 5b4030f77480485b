/**
 * Directory Login and OTP Lockout Admin in a real n8n, against a real slapd: Webhook → Directory Login →
 * Respond (Denied 401 / Approved 200), and the administrator's Webhook → OTP Lockout Admin (status, reset).
 * The lockout counted by one node is the one the other reads and clears (same OTP Store credential), no
 * password is in what the node outputs, and a directory that is down never approves.
 */
import { PASSWORDS, SERVICE_DN, SERVICE_PASSWORD, SUFFIX, startSlapd, type Slapd } from '../services/ldap/slapd';
import { E2E_TIMEOUT_MS, newId, nodeOutput, PACKAGE_NODE_PREFIX, startN8n, type N8nInstance } from './harness';

const PEPPER = 'e2e-directory-0123456789abcdef0123456789abcdef';

let n8n: N8nInstance;
let slapd: Slapd;

const webhook = (path: string) => ({
	id: newId(),
	name: 'Webhook',
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	position: [0, 0],
	webhookId: newId(),
	parameters: { httpMethod: 'POST', path, responseMode: 'responseNode', options: {} },
});

const respond = (name: string, code: number, body: string, y: number) => ({
	id: newId(),
	name,
	type: 'n8n-nodes-base.respondToWebhook',
	typeVersion: 1.1,
	position: [440, y],
	parameters: { respondWith: 'json', responseBody: body, options: { responseCode: code } },
});

function loginWorkflow(path: string, directoryCredentialId: string, otpCredentialId: string) {
	return {
		id: newId(),
		name: `Directory login (e2e): ${path}`,
		nodes: [
			webhook(path),
			{
				id: newId(),
				name: 'Directory Login',
				type: `${PACKAGE_NODE_PREFIX}.directoryLogin`,
				typeVersion: 1,
				position: [220, 0],
				// A failure (directory down) is a Denied item with its reason, never an approval.
				onError: 'continueRegularOutput',
				parameters: {
					username: '={{ $json.body.username }}',
					password: '={{ $json.body.password }}',
					bruteForceProtection: true,
					sourceIp: '',
					options: { failuresPerLockout: 3 },
				},
				credentials: {
					directoryApi: { id: directoryCredentialId, name: directoryCredentialId },
					otpStoreApi: { id: otpCredentialId, name: 'OTP Store (e2e)' },
				},
			},
			respond('Denied', 401, '={{ JSON.stringify({ approved: false, reason: $json.reason }) }}', -80),
			respond('Approved', 200, '={{ JSON.stringify({ approved: true, username: $json.username, display_name: $json.display_name }) }}', 80),
		],
		connections: {
			Webhook: { main: [[{ node: 'Directory Login', type: 'main', index: 0 }]] },
			'Directory Login': { main: [[{ node: 'Denied', type: 'main', index: 0 }], [{ node: 'Approved', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

function adminWorkflow(operation: 'getStatus' | 'reset', otpCredentialId: string) {
	return {
		id: newId(),
		name: `OTP Lockout Admin (e2e): ${operation}`,
		nodes: [
			webhook(`directory-admin-${operation}`),
			{
				id: newId(),
				name: 'OTP Lockout Admin',
				type: `${PACKAGE_NODE_PREFIX}.otpLockoutAdmin`,
				typeVersion: 1,
				position: [220, 0],
				// Directory Login counts usernames as text: the administrator names them the same way.
				parameters: { operation, identifier: '={{ $json.body.username }}', options: { identifierType: 'text' } },
				credentials: { otpStoreApi: { id: otpCredentialId, name: 'OTP Store (e2e)' } },
			},
			respond('Done', 200, '={{ JSON.stringify($json) }}', 0),
		],
		connections: { Webhook: { main: [[{ node: 'OTP Lockout Admin', type: 'main', index: 0 }]] }, 'OTP Lockout Admin': { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

async function post(path: string, body: object): Promise<{ status: number; body: any }> {
	const res = await fetch(n8n.webhookUrl(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('Directory Login and OTP Lockout Admin in a real n8n (slapd, memory store)', () => {
	beforeAll(async () => {
		slapd = await startSlapd();
		const ids = { directory: newId(), down: newId(), otp: newId() };
		const directory = (id: string, url: string) => ({
			id,
			name: id,
			type: 'directoryApi',
			// StartTLS (the credential's default) with slapd's self-signed certificate as the trusted CA.
			data: { url, startTls: true, caCertificate: slapd.caPem, bindDn: SERVICE_DN, bindPassword: SERVICE_PASSWORD, searchBase: SUFFIX, userFilter: '(uid={username})', timeoutSeconds: 5 },
		});
		// Port 9 (discard) on localhost: nothing listens, so the directory is "down".
		const credentials = [
			directory(ids.directory, slapd.url),
			directory(ids.down, 'ldap://127.0.0.1:9'),
			{ id: ids.otp, name: 'OTP Store (e2e)', type: 'otpStoreApi', data: { pepper: PEPPER, storeType: 'memory' } },
		];
		const workflows = [
			loginWorkflow('directory-login', ids.directory, ids.otp),
			loginWorkflow('directory-down', ids.down, ids.otp),
			adminWorkflow('getStatus', ids.otp),
			adminWorkflow('reset', ids.otp),
		];
		n8n = await startN8n({ workflows, credentials });
	}, E2E_TIMEOUT_MS);

	afterAll(async () => {
		await n8n?.stop();
		await slapd?.stop();
	}, 60_000);

	it("approves the right password with the directory attributes, and neither password is in the node's saved output", async () => {
		expect(await post('directory-login', { username: 'Alice', password: PASSWORDS.alice })).toEqual({
			status: 200,
			body: { approved: true, username: 'alice', display_name: 'Alice Example' },
		});
		expect(await post('directory-login', { username: 'alice', password: 'not-her-password' })).toEqual({ status: 401, body: { approved: false, reason: 'wrong_password' } });
		expect(await post('directory-login', { username: 'nobody', password: 'whatever' })).toEqual({ status: 401, body: { approved: false, reason: 'unknown_user' } });
		// The failure above is forgotten by the success that follows it.
		expect((await post('directory-login', { username: 'alice', password: PASSWORDS.alice })).status).toBe(200);
		// The Webhook's own output holds the request body (the SSO template turns saving off for that reason);
		// what Directory Login adds to the execution never holds the user's or the service account's password.
		let checked = 0;
		for (const summary of await n8n.rest.listExecutions()) {
			const detail = await n8n.rest.getExecution(summary.id);
			const items = [...nodeOutput(detail, 'Directory Login', 0), ...nodeOutput(detail, 'Directory Login', 1)];
			if (!items.length) continue;
			checked++;
			expect(JSON.stringify(items)).not.toContain(PASSWORDS.alice);
			expect(JSON.stringify(items)).not.toContain(SERVICE_PASSWORD);
		}
		expect(checked).toBe(4);
	});

	it('locks a username out after 3 failures, refuses even its right password, and the administrator sees and clears the lockout', async () => {
		for (let i = 0; i < 3; i++) expect((await post('directory-login', { username: 'dave', password: `wrong-${i}` })).body.reason).toBe('wrong_password');
		const locked = await post('directory-login', { username: 'dave', password: PASSWORDS.dave });
		// Refused by our count, before the directory is asked (its own policy locks only after 8).
		expect(locked).toEqual({ status: 401, body: { approved: false, reason: 'locked_out' } });

		const status = await post('directory-admin-getStatus', { username: 'Dave' });
		expect(status.status).toBe(200);
		expect(status.body).toMatchObject({ failures: 3, ended: false });
		expect(Date.parse(status.body.lockedUntil)).toBeGreaterThan(Date.now());

		expect((await post('directory-admin-reset', { username: 'dave' })).body).toMatchObject({ reset: true, hadFailures: true });
		expect((await post('directory-admin-getStatus', { username: 'dave' })).body).toMatchObject({ failures: 0, lockedUntil: null });
		expect(await post('directory-login', { username: 'dave', password: PASSWORDS.dave })).toEqual({
			status: 200,
			body: { approved: true, username: 'dave', display_name: 'Dave Tries' },
		});
	});

	it('a directory that does not answer never approves: Denied with reason directory_unavailable', async () => {
		expect(await post('directory-down', { username: 'erin', password: PASSWORDS.erin })).toEqual({ status: 401, body: { approved: false, reason: 'directory_unavailable' } });
	});
});
