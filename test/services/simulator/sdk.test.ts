/** The official SDK must work against the simulator unchanged: that is what "only the server URL differs" means. */
import { SDK } from '@ringcentral/sdk';
import { SIM_DEFAULTS, type Simulator } from '../../../simulator';
import { start } from './helpers';

describe('simulator: @ringcentral/sdk compatibility', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await start();
	});
	afterAll(async () => {
		await sim.close();
	});
	beforeEach(() => sim.reset());

	function sdk(prefix: string): SDK {
		return new SDK({ server: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, cachePrefix: prefix });
	}

	test('JWT login, send SMS, read its status', async () => {
		const platform = sdk('sdk-send').platform();
		await platform.login({ jwt: SIM_DEFAULTS.jwt });
		expect(await platform.auth().accessTokenValid()).toBe(true);
		const sent = await (
			await platform.post('/restapi/v1.0/account/~/extension/~/sms', {
				from: { phoneNumber: SIM_DEFAULTS.smsNumbers[0] },
				to: [{ phoneNumber: '+14155550123' }],
				text: 'from the SDK',
			})
		).json();
		expect(sent.messageStatus).toBe('Queued');
		const status = await (await platform.get(`/restapi/v1.0/account/~/extension/~/message-store/${sent.id}`)).json();
		expect(status.messageStatus).toBe('Delivered');
		expect(sim.messages()).toEqual([expect.objectContaining({ text: 'from the SDK', to: ['+14155550123'] })]);
		await platform.logout();
		expect(sim.stats()).toMatchObject({ jwtLogins: 1, revokes: 1, activeSessions: 0 });
	});

	test('after the access token expires the SDK refreshes on the 401 and retries', async () => {
		const platform = sdk('sdk-refresh').platform();
		await platform.login({ jwt: SIM_DEFAULTS.jwt });
		sim.addFaults({ path: '/restapi/v1.0/account/~/extension/~', expireTokens: true });
		const ext = await (await platform.get('/restapi/v1.0/account/~/extension/~')).json();
		expect(ext.id).toBe(Number(SIM_DEFAULTS.extensionId));
		expect(sim.stats()).toMatchObject({ jwtLogins: 1, refreshes: 1, unauthorized: 1 });
	});

	test('a validation error reaches the SDK caller with the specific code in the body', async () => {
		const platform = sdk('sdk-error').platform();
		await platform.login({ jwt: SIM_DEFAULTS.jwt });
		let caught: { response?: Response } | undefined;
		try {
			await platform.post('/restapi/v1.0/account/~/extension/~/sms', {
				from: { phoneNumber: SIM_DEFAULTS.second.smsNumbers[0] },
				to: [{ phoneNumber: '+14155550123' }],
				text: 'x',
			});
		} catch (error) {
			caught = error as { response?: Response };
		}
		expect(caught?.response?.status).toBe(400);
		const body = await caught?.response?.json();
		expect(body.errors[0].errorCode).toBe('MSG-245');
	});

	test('a bad client secret makes SDK login fail', async () => {
		const bad = new SDK({ server: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: 'wrong', cachePrefix: 'sdk-bad' });
		await expect(bad.platform().login({ jwt: SIM_DEFAULTS.jwt })).rejects.toThrow();
		// The SDK retries any 401 once, the token request included, so it may try twice.
		expect(sim.stats().failedLogins).toBeGreaterThanOrEqual(1);
		expect(sim.stats()).toMatchObject({ jwtLogins: 0, activeSessions: 0 });
	});
});
