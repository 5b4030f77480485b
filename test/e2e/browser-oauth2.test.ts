/**
 * The RingCentral OAuth2 credential in a real n8n and a real browser (Debian's Chromium): open the
 * credential in the editor, "Connect my account", sign in on the simulator's consent page, and send an SMS
 * with it from a published workflow. Then the token lifecycle n8n and the transport share: an expired access
 * token is refreshed by n8n and the rotated pair saved (a second refresh works with it), and a spent refresh
 * token gives the sentence telling the user to reconnect.
 */
import type { Browser, Page } from 'playwright-core';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../simulator';
import { E2E_TIMEOUT_MS, PACKAGE_NODE_PREFIX, newId, startN8n, type N8nInstance } from './harness';
import { chromiumAvailable, launchChromium, signIn } from './browser/editor';

const PATH = 'e2e/oauth2/send';
const credential = { id: newId(), name: 'RingCentral (signed in)' };
let sim: Simulator;
let n8n: N8nInstance;
let browser: Browser;
let page: Page;

const workflow = {
	id: newId(),
	name: 'E2E: Webhook → RingCentral Send SMS (OAuth2)',
	nodes: [
		{
			id: newId(),
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: 'd0000000-0000-4000-8000-0000000000d1',
			parameters: { httpMethod: 'POST', path: PATH, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
		},
		{
			id: newId(),
			name: 'Send SMS',
			type: `${PACKAGE_NODE_PREFIX}.ringCentral`,
			typeVersion: 1,
			position: [220, 0],
			onError: 'continueRegularOutput',
			credentials: { ringCentralOAuth2Api: credential },
			parameters: { authentication: 'oAuth2', resource: 'sms', operation: 'send', from: 'auto', to: '={{ $json.body.to }}', text: '={{ $json.body.text }}', options: {} },
		},
	],
	connections: { Webhook: { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

async function send(text: string): Promise<any> {
	const res = await fetch(n8n.webhookUrl(PATH), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: '+16505550123', text }) });
	expect(res.status).toBe(200);
	return ((await res.json()) as any[])[0];
}

beforeAll(async () => {
	if (!chromiumAvailable()) throw new Error('Chromium is missing at /usr/bin/chromium: apt-get install -y chromium');
	sim = await startSimulator({ port: 0 });
	sim.configure({ limits: { light: 100000, medium: 100000, heavy: 100000, auth: 100 }, statusDelays: { sentMs: 0, deliveredMs: 0 } });
	n8n = await startN8n({
		workflows: [workflow],
		// What a user types before connecting: the app's Client ID and Secret and the server. No tokens yet.
		credentials: [
			{
				...credential,
				type: 'ringCentralOAuth2Api',
				data: { environment: 'custom', serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret },
			},
		],
		env: { N8N_RINGCENTRAL_SMS_PER_MINUTE: '100000', N8N_RINGCENTRAL_LIGHT_PER_MINUTE: '100000' },
	});
	browser = await launchChromium();
	page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
	await signIn(page, n8n.baseUrl, n8n.owner);
}, E2E_TIMEOUT_MS);

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	await sim?.close();
}, 60_000);

test('before connecting, a send fails with the sentence to connect, and nothing is sent', async () => {
	const out = await send('too early');
	expect(out.error).toMatch(/not connected yet|Connect my account/);
	expect(sim.messages()).toHaveLength(0);
}, 60_000);

test('connect in the editor through the simulator consent page, then send an SMS with the credential', async () => {
	await page.goto(`${n8n.baseUrl}/home/credentials/${credential.id}`);
	// n8n 2.8 shows a "Connect my account" button; 2.40 puts it inside the "not connected" banner.
	const connect = page.locator('[data-test-id=oauth-connect-button], [data-test-id=oauth-not-connected-banner] button').first();
	await connect.waitFor({ timeout: 60_000 });
	const [popup] = await Promise.all([page.waitForEvent('popup', { timeout: 30_000 }), connect.click()]);
	// RingCentral's login/consent page (the simulator's), reached through n8n's authorize redirect with PKCE.
	await popup.waitForSelector('#authorize', { timeout: 30_000 });
	expect(popup.url()).toContain(`${sim.url}/login?`);
	expect(new URL(popup.url()).searchParams.get('code_challenge_method')).toBe('S256');
	await popup.click('#authorize');
	await page.locator('[data-test-id=oauth-connect-success-banner]').waitFor({ timeout: 30_000 });

	const out = await send('hello from OAuth2');
	expect(out).toMatchObject({ status: 'Queued', from: SIM_DEFAULTS.smsNumbers[0], to: '+16505550123' });
	expect(sim.messages().map((m) => m.text)).toEqual(['hello from OAuth2']);
	// Signed in by the code grant, never by a JWT.
	expect(sim.stats().jwtLogins).toBe(0);
}, 180_000);

test('an expired access token is refreshed by n8n and the rotated pair kept: a second refresh works too', async () => {
	for (const round of [1, 2]) {
		sim.state.sessions.expireAllAccessTokens();
		const out = await send(`after expiry ${round}`);
		expect(out.status).toBe('Queued');
		expect(sim.stats().refreshes).toBe(round);
	}
	// A spent refresh token would have failed the second round.
	expect(sim.stats().failedRefreshes).toBe(0);
}, 120_000);

test('a spent or expired refresh token: the item says to reconnect the credential, never a stack, and nothing is sent', async () => {
	const before = sim.messages().length;
	sim.state.sessions.expireAllAccessTokens();
	sim.state.sessions.revokeAllRefreshTokens();
	const out = await send('must not go out');
	expect(out.error).toMatch(/credential "RingCentral \(signed in\)".*Reconnect/);
	expect(JSON.stringify(out)).not.toMatch(/\n\s+at |\.ts:\d+|\.js:\d+/);
	expect(sim.messages()).toHaveLength(before);
}, 120_000);
