/**
 * The transport against the simulator: one login shared by everything, refresh and JWT fallback, rate
 * limits, and the rule that an SMS whose outcome is unknown is never sent twice.
 */
import Redis from 'ioredis';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../../simulator';
import { RedisCoordinator } from '../../../lib/ringcentral/coordination';
import { RingCentralApiError, RingCentralClient, RingCentralSession, getRingCentralClient, resetRingCentralClients, type RingCentralCredentials } from '../../../lib/ringcentral';

let sim: Simulator;
let creds: RingCentralCredentials;

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});

afterAll(async () => {
	await resetRingCentralClients();
	await sim.close();
});

beforeEach(async () => {
	await resetRingCentralClients();
	sim.reset();
	// Generous limits: these tests are about sessions and failures, not pacing.
	sim.configure({ limits: { light: 10000, medium: 10000, heavy: 10000, auth: 5 } });
	process.env.N8N_RINGCENTRAL_SMS_PER_MINUTE = '100000';
	process.env.N8N_RINGCENTRAL_LIGHT_PER_MINUTE = '100000';
	creds = { serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt };
});

// Every request the transport sends stays inside RingCentral's published contract (the simulator enforces it).
// (A throw, not an expect: it must not change the count of tests that use expect.assertions.)
afterEach(() => {
	if (sim.stats().contractViolations > 0) throw new Error(`${sim.stats().contractViolations} request(s) outside RingCentral's contract`);
});

const send = (to = '+16505550123', text = 'hello') => getRingCentralClient(creds).sendSms({ from: SIM_DEFAULTS.smsNumbers[0], to, text });

async function failure(promise: Promise<unknown>): Promise<RingCentralApiError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(RingCentralApiError);
		return error as RingCentralApiError;
	}
	throw new Error('expected the call to fail');
}

describe('one session per credential', () => {
	it('200 concurrent sends through separately obtained clients cause exactly one login', async () => {
		const results = await Promise.all(Array.from({ length: 200 }, (_, i) => send('+16505550123', `message ${i}`)));
		expect(new Set(results.map((r) => String(r.id))).size).toBe(200);
		expect(sim.stats().jwtLogins).toBe(1);
		expect(sim.stats().tokenRequests).toBe(1);
		expect(sim.messages()).toHaveLength(200);
	});

	it('a different credential gets its own session; the same values share it', async () => {
		await send();
		await getRingCentralClient({ ...creds, serverUrl: `${sim.url}/` }).getExtension();
		expect(sim.stats().jwtLogins).toBe(1);
		await getRingCentralClient({ ...creds, jwt: SIM_DEFAULTS.second.jwt }).sendSms({
			from: SIM_DEFAULTS.second.smsNumbers[0],
			to: '+16505550123',
			text: 'x',
		});
		expect(sim.stats().jwtLogins).toBe(2);
	});

	it('expired access tokens are refreshed once for many concurrent callers', async () => {
		await send();
		sim.setFaults({ expireTokens: true, path: '/restapi/v1.0' });
		await Promise.all(Array.from({ length: 20 }, () => send()));
		expect(sim.stats().refreshes).toBe(1);
		expect(sim.stats().jwtLogins).toBe(1);
	});

	it('logs in again with the JWT when the refresh token is refused', async () => {
		await send();
		sim.setFaults([{ expireTokens: true, revokeRefreshTokens: true, path: '/restapi/v1.0' }]);
		await send();
		expect(sim.stats().jwtLogins).toBe(2);
		expect(sim.messages()).toHaveLength(2);
	});
});

describe('failures become sentences and never double-send', () => {
	it('does not resend an SMS when the connection drops after RingCentral accepted it', async () => {
		await getRingCentralClient(creds).getExtension();
		sim.setFaults({ method: 'POST', path: '/restapi/v1.0/account/~/extension/~/sms', drop: 'after' });
		const error = await failure(send('+16505550123', 'only once'));
		expect(error.outcomeUnknown).toBe(true);
		expect(error.message).toMatch(/outcome is unknown/i);
		expect(sim.messages({ to: '+16505550123' }).filter((m) => m.text === 'only once')).toHaveLength(1);
	});

	it('a timeout on Send SMS is reported as unknown outcome and not retried', async () => {
		await getRingCentralClient(creds).getExtension();
		sim.setFaults({ method: 'POST', path: '/restapi/v1.0/account/~/extension/~/sms', delayMs: 1500 });
		const error = await failure(getRingCentralClient(creds).sendSms({ from: SIM_DEFAULTS.smsNumbers[0], to: '+16505550123', text: 'slow' }, { timeoutMs: 400 }));
		expect(error.outcomeUnknown).toBe(true);
		await new Promise((r) => setTimeout(r, 1300));
		expect(sim.messages().filter((m) => m.text === 'slow').length).toBeLessThanOrEqual(1);
		expect(sim.stats().smsAccepted).toBeLessThanOrEqual(1);
	});

	it('retries a read after a dropped connection (safe to repeat)', async () => {
		await getRingCentralClient(creds).getExtension();
		sim.setFaults({ method: 'GET', path: '/restapi/v1.0/account/~/extension/~/phone-number', drop: 'before' });
		const numbers = await getRingCentralClient(creds).listPhoneNumbers({ feature: 'SmsSender' });
		expect(numbers.map((n) => n.phoneNumber)).toEqual(expect.arrayContaining([...SIM_DEFAULTS.smsNumbers]));
	});

	it('waits for Retry-After on 429 and 503, then succeeds', async () => {
		await getRingCentralClient(creds).getExtension();
		sim.setFaults([
			{ method: 'POST', path: '/restapi/v1.0/account/~/extension/~/sms', status: 503, headers: { 'Retry-After': '1' }, body: { errorCode: 'CMN-211', message: 'Service temporary unavailable' } },
		]);
		const started = Date.now();
		await send('+16505550123', 'after 503');
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(sim.messages().filter((m) => m.text === 'after 503')).toHaveLength(1);
	});

	it('fails at once, naming the group and the wait, when Retry-After exceeds the budget', async () => {
		await getRingCentralClient(creds).getExtension();
		sim.setFaults({
			method: 'POST',
			path: '/restapi/v1.0/account/~/extension/~/sms',
			status: 429,
			headers: { 'Retry-After': '60', 'X-Rate-Limit-Group': 'medium', 'X-Rate-Limit-Limit': '40', 'X-Rate-Limit-Window': '60' },
			body: { errorCode: 'CMN-301', message: 'Request rate exceeded', errors: [{ errorCode: 'CMN-301', message: 'Request rate exceeded' }] },
		});
		const error = await failure(getRingCentralClient(creds).sendSms({ from: SIM_DEFAULTS.smsNumbers[0], to: '+16505550123', text: 'x' }, { timeoutMs: 5000 }));
		expect(error.status).toBe(429);
		expect(error.message).toMatch(/"medium"/);
		expect(error.message).toMatch(/60 s/);
		// The penalty is remembered: the next send does not hit RingCentral (which would restart it).
		const before = sim.stats().requests;
		const second = await failure(getRingCentralClient(creds).sendSms({ from: SIM_DEFAULTS.smsNumbers[0], to: '+16505550123', text: 'y' }, { timeoutMs: 2000 }));
		expect(second.message).toMatch(/penalty|budget/);
		expect(sim.stats().requests).toBe(before);
	});

	it("MSG-245 lists the extension's own SMS numbers", async () => {
		const error = await failure(
			getRingCentralClient(creds).sendSms({ from: SIM_DEFAULTS.second.smsNumbers[0], to: '+16505550123', text: 'x' }),
		);
		expect(error.errorCode).toBe('MSG-245');
		expect(error.message).toContain(SIM_DEFAULTS.second.smsNumbers[0]);
		for (const n of SIM_DEFAULTS.smsNumbers) expect(error.message).toContain(n);
		expect(sim.messages()).toHaveLength(0);
	});

	it('CMN-101 on the recipient names the number', async () => {
		const error = await failure(getRingCentralClient(creds).sendSms({ from: SIM_DEFAULTS.smsNumbers[0], to: '12', text: 'x' }));
		expect(error.errorCode).toBe('CMN-101');
		expect(error.message).toContain('12');
	});

	it('explains bad client credentials and a bad JWT without echoing secrets', async () => {
		const badClient = await failure(getRingCentralClient({ ...creds, clientSecret: 'wrong-secret-value' }).getExtension());
		expect(badClient.message).toMatch(/Client ID or Client Secret/);
		const badJwt = await failure(getRingCentralClient({ ...creds, jwt: SIM_DEFAULTS.expiredJwt }).getExtension());
		expect(badJwt.message).toMatch(/rejected the JWT/);
		for (const error of [badClient, badJwt]) {
			const everything = JSON.stringify({ message: error.message, body: error.body, description: error.description });
			expect(everything).not.toContain('wrong-secret-value');
			expect(everything).not.toContain(SIM_DEFAULTS.expiredJwt);
			expect(everything).not.toContain(SIM_DEFAULTS.clientSecret);
		}
	});

	it('treats a 200 that is not a message record as an unknown outcome, not as sent', async () => {
		await getRingCentralClient(creds).getExtension();
		sim.setFaults({ method: 'POST', path: '/restapi/v1.0/account/~/extension/~/sms', status: 200, body: { ok: true } });
		const error = await failure(send('+16505550123', 'odd answer'));
		expect(error.outcomeUnknown).toBe(true);
		expect(error.message).toMatch(/without a message record/);
	});

	it('names the missing or malformed credential fields without echoing values', () => {
		expect.assertions(3);
		expect(() => getRingCentralClient({ ...creds, clientId: ' ', jwt: '' })).toThrow(/Client ID is missing; JWT is missing/);
		expect(() => getRingCentralClient({ ...creds, serverUrl: 'platform.ringcentral.com' })).toThrow(/must start with https:\/\//);
		try {
			getRingCentralClient({ ...creds, serverUrl: 'ftp://x', clientSecret: 'visible-secret?' });
		} catch (error) {
			expect((error as Error).message).not.toContain('visible-secret');
		}
	});

	it('says when the server is not a RingCentral server or not reachable', async () => {
		const unreachable = await failure(getRingCentralClient({ ...creds, serverUrl: 'http://127.0.0.1:9' }).getExtension());
		expect(unreachable.message).toMatch(/Could not reach RingCentral/);
	});

	it('reports a missing SMS permission in words', async () => {
		const client = getRingCentralClient({ ...creds, jwt: SIM_DEFAULTS.noSms.jwt });
		const { scope } = await client.authenticate();
		expect(scope).not.toContain('SMS');
		const error = await failure(client.sendSms({ from: SIM_DEFAULTS.noSms.smsNumbers[0], to: '+16505550123', text: 'x' }));
		expect(error.status).toBe(403);
		expect(error.message).toMatch(/permission/);
	});
});

describe('pacing below RingCentral limits', () => {
	it('queues sends beyond the Medium budget instead of provoking 429s', async () => {
		sim.configure({ limits: { light: 10000, medium: 5, heavy: 10000, auth: 5 }, windowSeconds: 1 });
		process.env.N8N_RINGCENTRAL_SMS_PER_MINUTE = '5';
		process.env.N8N_RINGCENTRAL_RATE_WINDOW_MS = '1000';
		try {
			await resetRingCentralClients();
			await Promise.all(Array.from({ length: 12 }, (_, i) => send('+16505550123', `paced ${i}`)));
			expect(sim.messages()).toHaveLength(12);
			expect(sim.stats().rateLimited).toBe(0);
		} finally {
			delete process.env.N8N_RINGCENTRAL_RATE_WINDOW_MS;
		}
	});
});

describe('budgets the platform states', () => {
	const useStatedLimits = async () => {
		delete process.env.N8N_RINGCENTRAL_SMS_PER_MINUTE;
		delete process.env.N8N_RINGCENTRAL_LIGHT_PER_MINUTE;
		await resetRingCentralClients();
	};

	it('200 sequential sends against a high stated limit: one login, none refused for budget', async () => {
		await useStatedLimits();
		sim.configure({ limits: { light: 10000, medium: 100000, heavy: 10000, auth: 5 } });
		for (let i = 0; i < 200; i++) {
			await getRingCentralClient(creds).sendSms({ from: SIM_DEFAULTS.smsNumbers[0], to: '+16505550123', text: `seq ${i}` }, { timeoutMs: 10_000, maxQueueWaitMs: 5_000 });
		}
		expect(sim.messages()).toHaveLength(200);
		expect(sim.stats().jwtLogins).toBe(1);
		expect(sim.stats().rateLimited).toBe(0);
	});

	it('a burst three windows deep is queued and delivered with zero 429s (window learned from the headers)', async () => {
		await useStatedLimits();
		sim.configure({ limits: { light: 10000, medium: 4, heavy: 10000, auth: 5 }, windowSeconds: 1 });
		await send('+16505550123', 'first');
		await Promise.all(Array.from({ length: 11 }, (_, i) => send('+16505550123', `burst ${i}`)));
		expect(sim.messages()).toHaveLength(12);
		expect(sim.stats().rateLimited).toBe(0);
	});

	it('counts what another client of the same user spent (X-Rate-Limit-Remaining) and still provokes no 429', async () => {
		await useStatedLimits();
		sim.configure({ limits: { light: 10000, medium: 5, heavy: 10000, auth: 5 }, windowSeconds: 2 });
		// Another app instance of the same user: its own session and its own count.
		const other = new RingCentralClient(new RingCentralSession(creds));
		for (let i = 0; i < 3; i++) await other.sendSms({ from: SIM_DEFAULTS.smsNumbers[0], to: '+16505550124', text: `elsewhere ${i}` });
		await send('+16505550123', 'learns');
		await Promise.all(Array.from({ length: 3 }, (_, i) => send('+16505550123', `after ${i}`)));
		expect(sim.messages()).toHaveLength(7);
		expect(sim.stats().rateLimited).toBe(0);
	});

	it('a queue deeper than the wait allowed is refused at once, in words, and nothing is sent', async () => {
		await useStatedLimits();
		sim.configure({ limits: { light: 10000, medium: 2, heavy: 10000, auth: 5 }, windowSeconds: 60 });
		await send('+16505550123', 'one');
		await send('+16505550123', 'two');
		const error = await failure(getRingCentralClient(creds).sendSms({ from: SIM_DEFAULTS.smsNumbers[0], to: '+16505550123', text: 'three' }, { maxQueueWaitMs: 2_000 }));
		expect(error.outcomeUnknown).toBe(false);
		expect(error.message).toMatch(/^Not sent: .*"medium" rate-limit budget \(2 per 60 s\).*Longest Queue Wait/);
		expect(sim.messages()).toHaveLength(2);
		expect(sim.stats().rateLimited).toBe(0);
	});
});

describe('deadlines bound token acquisition', () => {
	it('a stalled token endpoint gives "not sent" within the budget, never "outcome unknown"', async () => {
		sim.setFaults({ path: '/restapi/oauth/token', delayMs: 2500 });
		const error = await failure(getRingCentralClient(creds).sendSms({ from: SIM_DEFAULTS.smsNumbers[0], to: '+16505550123', text: 'stalled' }, { timeoutMs: 800 }));
		expect(error.outcomeUnknown).toBe(false);
		expect(error.message).toMatch(/^Not sent: RingCentral did not grant a session/);
		await new Promise((r) => setTimeout(r, 2000));
		expect(sim.messages()).toHaveLength(0);
		// The login finished in the background; the next send uses it.
		await send('+16505550123', 'later');
		expect(sim.stats().jwtLogins).toBe(1);
	});
});

describe('shared state unavailable', () => {
	it('Redis not answering: the send fails as "not sent" in words, and nothing reaches RingCentral', async () => {
		const redis = new Redis({ port: 9, lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
		redis.on('error', () => undefined);
		try {
			const session = new RingCentralSession(creds, {}, new RedisCoordinator(redis, 'test-down:', 'k', 'm'));
			const error = await failure(new RingCentralClient(session).sendSms({ from: SIM_DEFAULTS.smsNumbers[0], to: '+16505550123', text: 'x' }));
			expect(error.message).toMatch(/^Not sent: .*Redis/);
			expect(error.outcomeUnknown).toBe(false);
			expect(sim.stats().requests).toBe(0);
		} finally {
			redis.disconnect();
		}
	});
});

describe('From "Automatic" on a cold cache', () => {
	it('100 concurrent lookups make one phone-number request; a short deadline fails alone as "not sent"', async () => {
		const client = getRingCentralClient(creds);
		await client.listPhoneNumbers(); // log in first, so only the lookups below count
		sim.reset();
		sim.setFaults({ method: 'GET', path: '/restapi/v1.0/account/~/extension/~/phone-number', delayMs: 600 });
		const impatient = failure(client.getSmsSenders({ timeoutMs: 100 }));
		const lookups = await Promise.all(Array.from({ length: 100 }, () => client.getSmsSenders()));
		expect(new Set(lookups.map((numbers) => numbers.join(','))).size).toBe(1);
		expect(lookups[0]).toContain(SIM_DEFAULTS.smsNumbers[0]);
		const error = await impatient;
		expect(error.message).toMatch(/^Not sent: .*Nothing was sent\.$/);
		expect(error.outcomeUnknown).toBe(false);
		expect(sim.stats().requestsByGroup.light).toBe(1);
		// Cached afterwards: no further request.
		await client.getSmsSenders();
		expect(sim.stats().requestsByGroup.light).toBe(1);
	});
});

describe('secrets and message text never reach an error', () => {
	it('the phone-number list sends usageType only with a value from the contract', async () => {
		const client = getRingCentralClient(creds);
		expect(await client.listPhoneNumbers()).toHaveLength(4);
		expect((await client.listPhoneNumbers({ usageType: 'DirectNumber' })).map((n) => n.usageType)).toEqual(['DirectNumber', 'DirectNumber', 'DirectNumber']);
		await expect(client.listPhoneNumbers({ usageType: '' as never })).resolves.toBeDefined();
		await expect(client.listPhoneNumbers({ usageType: 'Direct' as never })).rejects.toThrow(/not a RingCentral phone number usage type/);
	});

	it('drops the echoed parameterValue and masks the text, the JWT and the current tokens', async () => {
		await send();
		const tokens = Array.from((sim.state.sessions as unknown as { access: Map<string, unknown> }).access.keys());
		const text = 'Your code is 493817';
		sim.setFaults({
			method: 'POST',
			path: '/restapi/v1.0/account/~/extension/~/sms',
			status: 400,
			body: {
				errorCode: 'InvalidParameter',
				message: `Parameter [text] value '${text}' is invalid (${tokens[0]}, ${SIM_DEFAULTS.jwt})`,
				errors: [{ errorCode: 'CMN-101', message: `Parameter [text] value '${text}' is invalid`, parameterName: 'text', parameterValue: text }],
			},
		});
		const error = await failure(send('+16505550123', text));
		const everything = JSON.stringify({ message: error.message, body: error.body, description: error.description });
		expect(everything).not.toContain('493817');
		expect(everything).not.toContain(tokens[0]);
		expect(everything).not.toContain(SIM_DEFAULTS.jwt);
		expect(everything).not.toContain('parameterValue');
		expect(error.parameterName).toBe('text');
	});
});
