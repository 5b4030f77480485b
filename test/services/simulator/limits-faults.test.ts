import { SIM_DEFAULTS, type Simulator } from '../../../simulator';
import { RateLimiter } from '../../../simulator/rateLimit';
import { defaultConfig } from '../../../simulator/seed';
import { accessToken, api, control, EXT, login, sendSms, smsBody, start, tokenRequest } from './helpers';

const TO = '+14155550123';

describe('simulator: rate-limit groups', () => {
	let sim: Simulator;
	let token: string;
	beforeAll(async () => {
		sim = await start();
	});
	afterAll(async () => {
		await sim.close();
	});
	beforeEach(async () => {
		sim.reset();
		token = await accessToken(sim);
	});

	test('every API response carries the group headers, counting down', async () => {
		const first = await api(sim, 'GET', `${EXT}/phone-number`, token);
		const second = await api(sim, 'GET', EXT, token);
		expect(first.headers.get('x-rate-limit-group')).toBe('light');
		expect(first.headers.get('x-rate-limit-limit')).toBe('50');
		expect(first.headers.get('x-rate-limit-window')).toBe('60');
		expect(first.headers.get('x-rate-limit-remaining')).toBe('49');
		expect(second.headers.get('x-rate-limit-remaining')).toBe('48');
		const sms = await sendSms(sim, token, smsBody(TO));
		expect([sms.headers.get('x-rate-limit-group'), sms.headers.get('x-rate-limit-limit'), sms.headers.get('x-rate-limit-remaining')]).toEqual(['medium', '40', '39']);
		// Refusals inside a group still carry its headers.
		const refused = await sendSms(sim, token, smsBody('bad'));
		expect(refused.headers.get('x-rate-limit-remaining')).toBe('38');
	});

	test('Medium: the 41st SMS in a minute → 429 CMN-301 with Retry-After, nothing stored; light is unaffected', async () => {
		for (let i = 0; i < 40; i++) expect((await sendSms(sim, token, smsBody(TO, `m${i}`))).status).toBe(200);
		const refused = await sendSms(sim, token, smsBody(TO, 'one too many'));
		expect(refused.status).toBe(429);
		expect(refused.body).toMatchObject({ errorCode: 'CMN-301', message: 'Request rate exceeded' });
		expect(refused.headers.get('retry-after')).toBe('60');
		expect(refused.headers.get('x-rate-limit-group')).toBe('medium');
		expect(sim.messages()).toHaveLength(40);
		expect((await api(sim, 'GET', EXT, token)).status).toBe(200);
		// Another user's budget is separate.
		const other = await accessToken(sim, SIM_DEFAULTS.second.jwt);
		expect((await sendSms(sim, other, smsBody(TO, 'x', SIM_DEFAULTS.second.smsNumbers[0]))).status).toBe(200);
		expect(sim.stats().rateLimitedByGroup.medium).toBe(1);
	});

	test('limits and penalty are configurable through the control API', async () => {
		await control(sim, 'POST', 'config', { limits: { medium: 2 }, penaltySeconds: 7 });
		await sendSms(sim, token, smsBody(TO));
		await sendSms(sim, token, smsBody(TO));
		const refused = await sendSms(sim, token, smsBody(TO));
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBe('7');
		expect(refused.headers.get('x-rate-limit-limit')).toBe('2');
	});

	test('penalty: each request during it restarts it; after it ends the group is open again (clock injected)', () => {
		const config = { ...defaultConfig(), limits: { light: 2, medium: 2, heavy: 2, auth: 2 }, windowSeconds: 60, penaltySeconds: 60 };
		const limiter = new RateLimiter(() => config);
		const t0 = 1_000_000;
		expect(limiter.check('u', 'light', t0).error).toBeUndefined();
		expect(limiter.check('u', 'light', t0).error).toBeUndefined();
		expect(limiter.check('u', 'light', t0).error).toBeDefined(); // penalty until t0+60 s
		expect(limiter.check('u', 'light', t0 + 50_000).error).toBeDefined(); // restarts: until t0+110 s
		expect(limiter.check('u', 'light', t0 + 100_000).error).toBeDefined(); // still inside, restarts again → t0+160 s
		expect(limiter.check('u', 'light', t0 + 161_000).error).toBeUndefined();
		// Another group of the same user was never touched.
		expect(limiter.check('u', 'medium', t0 + 100_000).error).toBeUndefined();
	});
});

describe('simulator: injected faults', () => {
	let sim: Simulator;
	let token: string;
	beforeAll(async () => {
		sim = await start();
	});
	afterAll(async () => {
		await sim.close();
	});
	beforeEach(async () => {
		sim.reset();
		token = await accessToken(sim);
	});

	test('status fault: 503 with Retry-After, one shot by default, and the SMS is not stored', async () => {
		await control(sim, 'POST', 'faults', { method: 'POST', path: `${EXT}/sms`, status: 503, headers: { 'Retry-After': '2' } });
		const failed = await sendSms(sim, token, smsBody(TO));
		expect(failed.status).toBe(503);
		expect(failed.headers.get('retry-after')).toBe('2');
		expect(failed.body.errorCode).toBe('CMN-201');
		expect(sim.messages()).toHaveLength(0);
		expect((await sendSms(sim, token, smsBody(TO))).status).toBe(200);
		expect(sim.stats().faultsFired).toBe(1);
	});

	test('times: N shots, custom body, and the path prefix / method must match', async () => {
		sim.addFaults({ path: '/restapi/v1.0/account/~/extension/~/message', status: 500, times: 2 });
		sim.addFaults({ method: 'GET', path: `${EXT}/sms`, status: 418 });
		sim.addFaults({ method: 'POST', path: `${EXT}/sms`, status: 429, times: 2, body: { errorCode: 'CMN-301', message: 'custom' }, headers: { 'Retry-After': '1' } });
		expect((await api(sim, 'GET', `${EXT}/message-store/1`, token)).status).toBe(500);
		expect((await api(sim, 'GET', `${EXT}/message-store/1`, token)).status).toBe(500);
		expect((await api(sim, 'GET', `${EXT}/message-store/1`, token)).status).toBe(404);
		expect((await sendSms(sim, token, smsBody(TO))).body.message).toBe('custom');
		expect((await sendSms(sim, token, smsBody(TO))).status).toBe(429);
		expect((await sendSms(sim, token, smsBody(TO))).status).toBe(200);
		expect((await control(sim, 'GET', 'faults')).body).toHaveLength(1); // the GET-only fault never matched
	});

	test('delay fault: a client with a shorter timeout gives up; the fault is used up', async () => {
		sim.addFaults({ path: EXT, delayMs: 1500 });
		await expect(fetch(`${sim.url}${EXT}`, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(100) })).rejects.toThrow();
		expect((await api(sim, 'GET', EXT, token)).status).toBe(200);
	});

	test('drop before: the connection dies and nothing was sent', async () => {
		sim.addFaults({ path: `${EXT}/sms`, drop: 'before' });
		await expect(sendSms(sim, token, smsBody(TO))).rejects.toThrow();
		expect(sim.messages()).toHaveLength(0);
		expect(sim.stats().connectionsDropped).toBe(1);
	});

	test('drop after: the connection dies but the SMS WAS accepted (the ambiguous case)', async () => {
		await control(sim, 'POST', 'faults', [{ path: `${EXT}/sms`, drop: 'after' }]);
		await expect(sendSms(sim, token, smsBody(TO, 'sent once, client never knew'))).rejects.toThrow();
		expect(sim.messages()).toEqual([expect.objectContaining({ to: [TO], text: 'sent once, client never knew' })]);
	});

	test('expireTokens: current access tokens expire (OAU-128), refresh still works', async () => {
		const tokens = (await login(sim)).body;
		sim.addFaults({ path: EXT, expireTokens: true });
		const expired = await api(sim, 'GET', EXT, tokens.access_token);
		expect(expired.status).toBe(401);
		expect(expired.body.errors[0].errorCode).toBe('OAU-128');
		const refreshed = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
		expect(refreshed.status).toBe(200);
		expect((await api(sim, 'GET', EXT, refreshed.body.access_token)).status).toBe(200);
	});

	test('revokeRefreshTokens: refresh fails with OAU-213 and a JWT login recovers', async () => {
		const tokens = (await login(sim)).body;
		sim.addFaults({ path: '/restapi/oauth/token', revokeRefreshTokens: true });
		const refused = await tokenRequest(sim, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
		expect(refused.body).toMatchObject({ error: 'invalid_grant', errors: [{ errorCode: 'OAU-213' }] });
		expect((await login(sim)).status).toBe(200);
	});

	test('control API rejects malformed faults', async () => {
		expect((await control(sim, 'POST', 'faults', { path: EXT })).status).toBe(400);
		expect((await control(sim, 'POST', 'faults', { path: EXT, drop: 'sideways' })).status).toBe(400);
		expect((await control(sim, 'GET', 'faults')).body).toHaveLength(0);
	});
});

describe('simulator: control API', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await start({ latencyMs: 0 });
	});
	afterAll(async () => {
		await sim.close();
	});

	test('messages, stats, reset and config over HTTP', async () => {
		const token = await accessToken(sim);
		await sendSms(sim, token, smsBody(TO, 'first'));
		await sendSms(sim, token, smsBody('+14155550124', 'second'));
		const messages = await control(sim, 'GET', 'messages');
		expect(messages.body.map((m: { text: string }) => m.text)).toEqual(['first', 'second']);
		expect(messages.body[0]).toMatchObject({ from: SIM_DEFAULTS.smsNumbers[0], to: [TO], status: expect.any(String), time: expect.any(String) });
		expect((await control(sim, 'GET', `messages?to=${encodeURIComponent(TO)}`)).body).toHaveLength(1);

		const stats = (await control(sim, 'GET', 'stats')).body;
		expect(stats).toMatchObject({ tokenRequests: 1, jwtLogins: 1, smsAccepted: 2, activeSessions: 1, requestsByGroup: { medium: 2, auth: 1 } });

		const config = await control(sim, 'POST', 'config', { latencyMs: 5, statusDelays: { sentMs: 10 } });
		expect(config.body).toMatchObject({ latencyMs: 5, statusDelays: { sentMs: 10, deliveredMs: 0 } });

		await control(sim, 'POST', 'reset');
		expect((await control(sim, 'GET', 'messages')).body).toEqual([]);
		expect((await control(sim, 'GET', 'stats')).body).toMatchObject({ tokenRequests: 0, activeSessions: 0 });
		expect((await control(sim, 'GET', 'config')).body.latencyMs).toBe(0);
		// Reset ends sessions: the old token no longer works.
		expect((await api(sim, 'GET', EXT, token)).status).toBe(401);
		expect((await control(sim, 'GET', 'nope')).status).toBe(404);
	});

	test('unknown API paths → 404 in RingCentral’s error shape', async () => {
		const token = await accessToken(sim);
		const result = await api(sim, 'GET', '/restapi/v1.0/account/~/extension/~/nothing-here', token);
		expect(result.status).toBe(404);
		expect(result.body.errorCode).toBeDefined();
	});
});
