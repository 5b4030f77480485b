/** The abuse guard offered on RingCentral Send (off by default): refusals before anything is sent. */
import { resetGuardLimiter } from '../../../lib/guard';
import { resetRingCentralClients } from '../../../lib/ringcentral';
import { RingCentral } from '../../../nodes/RingCentral/RingCentral.node';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../../simulator';
import { fakeContext } from '../../pure/otp/nodeContext';

let sim: Simulator;
let credentials: Record<string, Record<string, unknown>>;

beforeAll(async () => {
	sim = await startSimulator({ port: 0, latencyMs: 0 });
	credentials = { ringCentralJwtApi: { serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt } };
});
afterAll(async () => {
	await resetRingCentralClients();
	await sim.close();
});
beforeEach(async () => {
	sim.reset();
	await resetRingCentralClients();
	resetGuardLimiter();
});

const send = (to: string, options: Record<string, unknown>) =>
	new RingCentral().execute.call(fakeContext({ params: { resource: 'sms', operation: 'send', from: 'auto', to, text: 'hello', options }, credentials }));

describe('RingCentral Send with the abuse guard', () => {
	it('off by default: a Norwegian number is sent as before', async () => {
		await send('+4795678901', {});
		expect(sim.messages().map((m) => m.to)).toEqual([['+4795678901']]);
	});

	it('on: another country or a premium-rate number fails the item, and nothing is sent for it', async () => {
		await expect(send('+4795678901', { abuseGuard: true })).rejects.toThrow(/NO, and SMS may only go to US/);
		await expect(send('+16505550123, +19002345678', { abuseGuard: true })).rejects.toThrow(/premium-rate/);
		expect(sim.messages()).toHaveLength(0);
	});

	it('on: the per-number limit holds across items and refuses with rate_limited', async () => {
		await send('+16505550123', { abuseGuard: true, destinationPerMinute: 1 });
		await expect(send('+16505550123', { abuseGuard: true, destinationPerMinute: 1 })).rejects.toThrow(/too many SMS for \+1650•••0123: at most 1 a minute/);
		expect(sim.messages()).toHaveLength(1);
	});
});
