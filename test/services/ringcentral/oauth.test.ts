/**
 * The OAuth2 credential's transport against the simulator: the authorization-code flow with PKCE, then
 * SMS through one shared session whose tokens n8n keeps. The broker below does what n8n's OAuth2 helper
 * does (send with the stored token; on a 401 refresh with the stored refresh token and store the rotated
 * pair), so the test proves the transport's side: one renewal for many callers, rotation followed, and the
 * reconnect sentence when the refresh token is spent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../../simulator';
import { RingCentralApiError, getRingCentralOAuthClient, resetRingCentralOAuthClients, type OAuthTokens, type TokenBroker } from '../../../lib/ringcentral';

let sim: Simulator;
const basic = `Basic ${Buffer.from(`${SIM_DEFAULTS.clientId}:${SIM_DEFAULTS.clientSecret}`).toString('base64')}`;
const REDIRECT = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
afterAll(async () => sim.close());
beforeEach(() => {
	resetRingCentralOAuthClients();
	sim.reset();
	sim.configure({ limits: { light: 10000, medium: 10000, heavy: 10000, auth: 100 }, statusDelays: { sentMs: 0, deliveredMs: 0 } });
});

/** The browser part of the flow, as plain HTTP: authorize → login page → "Authorize" → redirect with the code. */
async function authorize(challenge: string, method = 'S256'): Promise<string> {
	const q = new URLSearchParams({ response_type: 'code', client_id: SIM_DEFAULTS.clientId, redirect_uri: REDIRECT, state: 'xyz', code_challenge: challenge, code_challenge_method: method });
	const first = await fetch(`${sim.url}/restapi/oauth/authorize?${q}`, { redirect: 'manual' });
	expect(first.status).toBe(302);
	const loginUrl = first.headers.get('location') as string;
	const page = await (await fetch(loginUrl)).text();
	expect(page).toContain('id="authorize"');
	const form = new URLSearchParams(new URL(loginUrl).searchParams);
	form.set('extension_id', SIM_DEFAULTS.extensionId);
	form.set('decision', 'allow');
	const back = await fetch(`${sim.url}/login`, { method: 'POST', body: form, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' });
	const location = new URL(back.headers.get('location') as string);
	expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
	expect(location.searchParams.get('state')).toBe('xyz');
	return location.searchParams.get('code') as string;
}

async function token(form: Record<string, string>): Promise<{ status: number; body: any }> {
	const res = await fetch(`${sim.url}/restapi/oauth/token`, {
		method: 'POST',
		headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(form),
	});
	return { status: res.status, body: await res.json() };
}

async function connect(): Promise<OAuthTokens> {
	const verifier = randomBytes(32).toString('base64url');
	const code = await authorize(createHash('sha256').update(verifier).digest('base64url'));
	const answer = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier });
	expect(answer.status).toBe(200);
	return answer.body;
}

/** What n8n's OAuth2 helper does with the credential it stores. */
function n8nLikeBroker(initial: OAuthTokens) {
	const credential = { tokens: initial, renewals: 0, saves: 0 };
	const broker: TokenBroker = {
		credentialName: 'RingCentral (OAuth2)',
		read: async () => credential.tokens,
		renew: async () => {
			credential.renewals++;
			const probe = await fetch(`${sim.url}/restapi/v1.0/account/~/extension/~`, { headers: { authorization: `Bearer ${credential.tokens.access_token}` } });
			if (probe.status !== 401) return;
			const refreshed = await token({ grant_type: 'refresh_token', refresh_token: String(credential.tokens.refresh_token) });
			if (refreshed.status !== 200) throw new Error(`refresh failed: ${refreshed.body.error}`);
			credential.tokens = refreshed.body;
			credential.saves++;
		},
	};
	return { broker, credential };
}

const client = (broker: TokenBroker) =>
	getRingCentralOAuthClient({ serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, credentialId: 'cred-1' }, broker);
const send = (broker: TokenBroker, text = 'hello') => client(broker).sendSms({ from: SIM_DEFAULTS.smsNumbers[0], to: '+16505550123', text });

describe('authorization code with PKCE (simulator)', () => {
	it('a wrong verifier, a reused code and a missing verifier are invalid_grant', async () => {
		const verifier = randomBytes(32).toString('base64url');
		const challenge = createHash('sha256').update(verifier).digest('base64url');
		const wrong = await token({ grant_type: 'authorization_code', code: await authorize(challenge), redirect_uri: REDIRECT, code_verifier: `${verifier}x` });
		expect(wrong.body).toMatchObject({ error: 'invalid_grant' });
		const code = await authorize(challenge);
		expect((await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier })).status).toBe(200);
		expect((await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier })).body.error).toBe('invalid_grant');
		const missing = await token({ grant_type: 'authorization_code', code: await authorize(challenge), redirect_uri: REDIRECT });
		expect(missing.body.error).toBe('invalid_grant');
	});

	it('"Deny" redirects with access_denied and no code; an unknown client sees an error page, not a redirect', async () => {
		const q = new URLSearchParams({ response_type: 'code', client_id: SIM_DEFAULTS.clientId, redirect_uri: REDIRECT, state: 's1' });
		const deny = await fetch(`${sim.url}/login`, { method: 'POST', body: new URLSearchParams({ ...Object.fromEntries(q), decision: 'deny' }), redirect: 'manual' });
		const location = new URL(deny.headers.get('location') as string);
		expect(location.searchParams.get('error')).toBe('access_denied');
		expect(location.searchParams.has('code')).toBe(false);
		const unknown = await fetch(`${sim.url}/restapi/oauth/authorize?response_type=code&client_id=nope&redirect_uri=${encodeURIComponent(REDIRECT)}`, { redirect: 'manual' });
		expect(unknown.status).toBe(400);
		expect(unknown.headers.get('location')).toBeNull();
	});
});

describe('OAuth2 credential through the transport', () => {
	it('sends with the tokens n8n keeps; an expired access token is renewed once for many callers and the rotated pair is kept', async () => {
		const { broker, credential } = n8nLikeBroker(await connect());
		await send(broker);
		expect(sim.messages()).toHaveLength(1);
		const firstRefresh = credential.tokens.refresh_token;
		sim.addFaults({ expireTokens: true });
		await Promise.all(Array.from({ length: 8 }, (_, i) => send(broker, `parallel ${i}`)));
		expect(sim.messages()).toHaveLength(9);
		expect(credential.saves).toBe(1);
		expect(sim.stats().refreshes).toBe(1);
		expect(credential.tokens.refresh_token).not.toBe(firstRefresh);
		// And again with the rotated refresh token.
		sim.addFaults({ expireTokens: true });
		await send(broker, 'after rotation');
		expect(sim.stats().refreshes).toBe(2);
		expect(sim.stats().failedRefreshes).toBe(0);
		expect(sim.stats().jwtLogins).toBe(0);
	});

	it('tokens refreshed by another process are picked up without a refresh of our own', async () => {
		const { broker, credential } = n8nLikeBroker(await connect());
		await send(broker);
		// Our access token expires; another process refreshes and stores the new pair in the credential.
		sim.state.sessions.expireAllAccessTokens();
		const elsewhere = await token({ grant_type: 'refresh_token', refresh_token: String(credential.tokens.refresh_token) });
		credential.tokens = elsewhere.body;
		await send(broker, 'second');
		expect(credential.renewals).toBe(0);
		expect(sim.messages()).toHaveLength(2);
	});

	it('an expired or spent refresh token gives the reconnect sentence, and nothing is sent', async () => {
		const { broker } = n8nLikeBroker(await connect());
		await send(broker);
		sim.addFaults({ expireTokens: true, revokeRefreshTokens: true });
		const error = await send(broker, 'never').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RingCentralApiError);
		expect((error as Error).message).toMatch(/credential "RingCentral \(OAuth2\)".*Reconnect/);
		expect((error as Error).message).not.toMatch(/\n\s+at /);
		expect(sim.messages()).toHaveLength(1);
	});
});
