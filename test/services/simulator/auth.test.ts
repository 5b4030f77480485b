import { SIM_DEFAULTS, type Simulator } from '../../../simulator';
import { accessToken, api, basic, EXT, JWT_GRANT, login, start, tokenRequest } from './helpers';
import { allowContractViolations } from '../../contract-guard';

// Sends requests outside the contract on purpose, to see the simulator refuse them.
allowContractViolations();

describe('simulator: OAuth (JWT grant, refresh, revoke, bearer check)', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await start();
	});
	afterAll(async () => {
		await sim.close();
	});
	beforeEach(() => sim.reset());

	test('JWT login returns the documented token fields', async () => {
		const result = await login(sim);
		expect(result.status).toBe(200);
		expect(result.body).toMatchObject({
			token_type: 'bearer',
			expires_in: 3600,
			refresh_token_expires_in: 604800,
			owner_id: SIM_DEFAULTS.extensionId,
		});
		expect(typeof result.body.access_token).toBe('string');
		expect(typeof result.body.endpoint_id).toBe('string');
		expect(result.body.scope.split(' ')).toEqual(expect.arrayContaining(['SMS', 'ReadMessages', 'ReadAccounts']));
		expect(result.headers.get('x-rate-limit-group')).toBe('auth');
		expect(sim.stats()).toMatchObject({ tokenRequests: 1, jwtLogins: 1, activeSessions: 1 });
	});

	test('access_token_ttl is honoured within 600–3600 s, refused outside it; the SDK’s -1 on a refresh means the default', async () => {
		expect((await login(sim, SIM_DEFAULTS.jwt, { access_token_ttl: '900' })).body.expires_in).toBe(900);
		const tooShort = await login(sim, SIM_DEFAULTS.jwt, { access_token_ttl: '60' });
		expect(tooShort.status).toBe(400);
		expect(tooShort.body).toMatchObject({ error: 'invalid_request', errors: [{ message: 'Parameter [access_token_ttl] value is invalid' }] });
		const first = (await login(sim)).body;
		const refreshed = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: first.refresh_token, access_token_ttl: '-1' });
		expect(refreshed.status).toBe(200);
		expect(refreshed.body.expires_in).toBe(3600);
	});

	test('refresh tokens rotate and are single use (reuse → invalid_grant OAU-213)', async () => {
		const first = (await login(sim)).body;
		const refreshed = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
		expect(refreshed.status).toBe(200);
		expect(refreshed.body.refresh_token).not.toBe(first.refresh_token);
		expect(refreshed.body.access_token).not.toBe(first.access_token);

		const reused = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: first.refresh_token });
		expect(reused.status).toBe(400);
		expect(reused.body).toMatchObject({ error: 'invalid_grant', errors: [{ errorCode: 'OAU-213' }] });

		// The newest refresh token still works, and the new access token is accepted.
		expect((await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token })).status).toBe(200);
		expect((await api(sim, 'GET', EXT, refreshed.body.access_token)).status).toBe(200);
		expect(sim.stats()).toMatchObject({ refreshes: 2, failedRefreshes: 1, jwtLogins: 1 });
	});

	test('a wrong client id or secret → 401 invalid_client, and the secret is not echoed', async () => {
		for (const auth of [basic('sim-client-id', 'wrong-secret-value'), basic('no-such-app', 'x'), 'Bearer abc', '']) {
			const result = await tokenRequest(sim, { grant_type: JWT_GRANT, assertion: SIM_DEFAULTS.jwt }, auth);
			expect(result.status).toBe(401);
			expect(result.body.error).toBe('invalid_client');
			expect(JSON.stringify(result.body)).not.toContain('wrong-secret-value');
		}
		expect(sim.stats()).toMatchObject({ jwtLogins: 0, failedLogins: 4 });
	});

	test('a forged, unknown or expired JWT → 400 invalid_grant', async () => {
		const forged = `${SIM_DEFAULTS.jwt.slice(0, -4)}AAAA`;
		for (const jwt of [forged, 'not-a-jwt', SIM_DEFAULTS.expiredJwt]) {
			const result = await login(sim, jwt);
			expect(result.status).toBe(400);
			expect(result.body.error).toBe('invalid_grant');
			expect(result.body.errors[0].errorCode).toMatch(/^OAU-/);
		}
		const expired = await login(sim, SIM_DEFAULTS.expiredJwt);
		expect(expired.body.errors[0].errorCode).toBe('OAU-210');
		// A refused login still counts against, and reports, its user's auth budget: two expired-JWT tries
		// for the main user (the forged and malformed ones count against the app's anonymous bucket).
		expect(expired.headers.get('x-rate-limit-group')).toBe('auth');
		expect(expired.headers.get('x-rate-limit-remaining')).toBe('3');
	});

	test('grant types: missing, not enabled for the app, unknown', async () => {
		expect((await tokenRequest(sim, {})).body.error).toBe('invalid_request');
		const password = await tokenRequest(sim, { grant_type: 'password', username: 'x', password: 'y' });
		expect(password).toMatchObject({ status: 400, body: { error: 'unauthorized_client', error_description: 'Unauthorized for this grant type' } });
		expect((await tokenRequest(sim, { grant_type: 'magic' })).body.error).toBe('unsupported_grant_type');
		expect((await tokenRequest(sim, { grant_type: JWT_GRANT })).body.error).toBe('invalid_request');
	});

	test('auth group: the 6th token request in a minute → 429 CMN-301 with Retry-After; penalty keeps refusing', async () => {
		sim.configure({ maxSessionsPerUser: 10 });
		for (let i = 0; i < 5; i++) expect((await login(sim)).status).toBe(200);
		const refused = await login(sim);
		expect(refused.status).toBe(429);
		expect(refused.body).toMatchObject({ errorCode: 'CMN-301', message: 'Request rate exceeded' });
		expect(refused.headers.get('retry-after')).toBe('60');
		expect(refused.headers.get('x-rate-limit-remaining')).toBe('0');
		expect((await login(sim)).status).toBe(429);
		// Another user of the same app has its own budget.
		expect((await login(sim, SIM_DEFAULTS.second.jwt)).status).toBe(200);
		expect(sim.stats().rateLimitedByGroup.auth).toBe(2);
	});

	test('session cap: a 6th login silently ends the oldest session’s tokens', async () => {
		sim.configure({ limits: { auth: 100, light: 50, medium: 40, heavy: 10 } });
		const sessions = [];
		for (let i = 0; i < 6; i++) sessions.push((await login(sim)).body);
		const oldest = await api(sim, 'GET', EXT, sessions[0].access_token);
		expect(oldest.status).toBe(401);
		expect(oldest.body.errors[0].errorCode).toBe('OAU-213');
		expect((await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: sessions[0].refresh_token })).status).toBe(400);
		for (const s of sessions.slice(1)) expect((await api(sim, 'GET', EXT, s.access_token)).status).toBe(200);
		expect(sim.stats()).toMatchObject({ activeSessions: 5, sessionsEvicted: 1 });
		// Another user's sessions do not count against this one.
		expect((await login(sim, SIM_DEFAULTS.second.jwt)).status).toBe(200);
		expect((await api(sim, 'GET', EXT, sessions[1].access_token)).status).toBe(200);
	});

	test('revoke ends the whole session (access and refresh token)', async () => {
		const tokens = (await login(sim)).body;
		const revoke = await fetch(`${sim.url}/restapi/oauth/revoke`, {
			method: 'POST',
			headers: { Authorization: basic(), 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ token: tokens.refresh_token }),
		});
		expect(revoke.status).toBe(200);
		expect((await api(sim, 'GET', EXT, tokens.access_token)).status).toBe(401);
		expect((await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })).status).toBe(400);
		expect(sim.stats()).toMatchObject({ revokes: 1, activeSessions: 0 });
	});

	test('bearer check: missing → AGW-401, unknown → OAU-213, expired → OAU-128; scheme is case-insensitive', async () => {
		const token = await accessToken(sim);
		const missing = await api(sim, 'GET', EXT);
		expect(missing.status).toBe(401);
		expect(missing.body.errorCode).toBe('AGW-401');
		const unknown = await api(sim, 'GET', EXT, 'nope');
		expect(unknown).toMatchObject({ status: 401, body: { errorCode: 'TokenInvalid', errors: [{ errorCode: 'OAU-213' }] } });
		expect((await api(sim, 'GET', EXT, token, undefined, 'bearer')).status).toBe(200);
		expect((await api(sim, 'GET', EXT, token, undefined, 'BEARER')).status).toBe(200);
		sim.state.sessions.expireAllAccessTokens();
		const expired = await api(sim, 'GET', EXT, token);
		expect(expired).toMatchObject({ status: 401, body: { errorCode: 'TokenExpired', errors: [{ errorCode: 'OAU-128' }] } });
		expect(sim.stats().unauthorized).toBe(3);
	});

	test('accessTokenTtlOverride forces short-lived tokens (for expiry tests)', async () => {
		sim.configure({ accessTokenTtlOverride: 5 });
		expect((await login(sim)).body.expires_in).toBe(5);
		sim.configure({ accessTokenTtlOverride: 0 });
		expect((await login(sim)).body.expires_in).toBe(3600);
	});

	test('a user whose role lacks SMS logs in with a scope without SMS, and sending is refused with 403 CMN-408', async () => {
		const result = await login(sim, SIM_DEFAULTS.noSms.jwt);
		expect(result.status).toBe(200);
		expect(result.body.scope.split(' ')).not.toContain('SMS');
		const ext = await api(sim, 'GET', EXT, result.body.access_token);
		expect(ext.body.serviceFeatures).toContainEqual({ featureName: 'SMS', enabled: false });
		const send = await api(sim, 'POST', `${EXT}/sms`, result.body.access_token, {
			from: { phoneNumber: SIM_DEFAULTS.noSms.smsNumbers[0] },
			to: [{ phoneNumber: '+14155550123' }],
			text: 'x',
		});
		expect(send.status).toBe(403);
		expect(send.body.errorCode).toBe('CMN-408');
		expect(send.body.message).toContain('[SMS]');
		expect(sim.messages()).toHaveLength(0);
	});
});
