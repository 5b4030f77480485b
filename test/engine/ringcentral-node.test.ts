/**
 * The RingCentral node's operations through n8n's engine against the simulator: what a workflow author
 * sees for Send (several recipients, one failing), Wait for Delivery, Get Status, Phone Number → List,
 * the A2P batch, and Retry On Fail, which must never send twice.
 */
import type { ICredentialDataDecryptedObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { resetRingCentralClients } from '../../lib/ringcentral';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../simulator';
import { PKG, runNode, type NodeUnderTest } from './engine';

let sim: Simulator;
let credentials: Record<string, ICredentialDataDecryptedObject>;

beforeAll(async () => {
	sim = await startSimulator({ port: 0, latencyMs: 0 });
	credentials = { rc: { serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt } };
});
afterAll(async () => {
	await resetRingCentralClients();
	await sim.close();
});
beforeEach(async () => {
	sim.reset();
	await resetRingCentralClients();
});

const node = (parameters: NodeUnderTest['parameters'], extra: Partial<NodeUnderTest> = {}): NodeUnderTest => ({
	type: `${PKG}.ringCentral`,
	parameters,
	credentials: { ringCentralJwtApi: 'rc' },
	...extra,
});
const run = (n: NodeUnderTest, items: INodeExecutionData[] = [{ json: {} }]) => runNode(n, items, { credentials, outputCount: 1 });
const send = (to: string, options: INodeParameters = {}): INodeParameters => ({ resource: 'sms', operation: 'send', from: 'auto', to, text: 'Hello from n8n', options });

describe('SMS → Send', () => {
	it('one message per recipient; a failing recipient fails alone under Continue', async () => {
		sim.configure({ failingNumbers: { '+16505550177': { status: 'SendingFailed', errorCode: 'SMS-RC-410' } } });
		const r = await run(node(send('+16505550123, +16505550124', {}), { onError: 'continueRegularOutput' }));
		expect(r.outputs[0].map((i) => i.json.to)).toEqual(['+16505550123', '+16505550124']);
		expect(r.outputs[0].every((i) => typeof i.json.messageId === 'string')).toBe(true);
		expect(sim.messages().flatMap((m) => m.to)).toEqual(['+16505550123', '+16505550124']);
	});

	it('Wait for Delivery: Delivered comes back as the status; a delivery failure is an error item naming the code', async () => {
		sim.configure({ statusDelays: { sentMs: 50, deliveredMs: 50 }, failingNumbers: { '+16505550177': { status: 'DeliveryFailed', errorCode: 'SMS-CAR-411' } } });
		const options = { waitForDelivery: true, deliveryTimeoutSeconds: 10, pollIntervalSeconds: 0.1 };
		const ok = await run(node(send('+16505550123', options)));
		expect(ok.outputs[0]).toEqual([expect.objectContaining({ json: expect.objectContaining({ status: 'Delivered', to: '+16505550123' }) })]);
		const failed = await run(node(send('+16505550177', options), { onError: 'continueRegularOutput' }));
		expect(failed.outputs[0][0].json).toMatchObject({ to: '+16505550177', reason: 'ringcentral_refused', errorCode: 'SMS-CAR-411', error: expect.stringMatching(/not delivered: DeliveryFailed/) });
		expect(failed.outputs[0][0].json.messageId).toBeUndefined();
	});

	it('an invalid number fails the item before anything is sent, naming the field', async () => {
		const r = await run(node(send('+16505550123, not-a-number')), [{ json: {} }]);
		expect(r.error?.message).toMatch(/^To: /);
		expect(sim.messages()).toHaveLength(0);
	});

	it('Retry On Fail is refused for Send: no SMS at all, under every On Error setting', async () => {
		for (const onError of ['stopWorkflow', 'continueRegularOutput', 'continueErrorOutput'] as const) {
			const r = await runNode(node(send('+16505550123'), { onError, retryOnFail: true, maxTries: 3 }), [{ json: {} }], { credentials, outputCount: 1 });
			const text = r.error?.message ?? String(r.outputs.flat()[0]?.json.error);
			expect(text).toMatch(/Retry On Fail is on, and a retry would text again/);
		}
		expect(sim.messages()).toHaveLength(0);
	});

	it('an unknown outcome is never re-sent, and says so', async () => {
		sim.addFaults({ path: '/restapi/v1.0/account/~/extension/~/sms', drop: 'after' });
		const r = await run(node(send('+16505550123', { timeoutSeconds: 5 }), { onError: 'continueRegularOutput' }));
		expect(r.outputs[0][0].json).toMatchObject({ reason: 'outcome_unknown', outcomeUnknown: true, to: '+16505550123' });
		expect(sim.messages()).toHaveLength(1);
	});
});

describe('SMS → Get Status', () => {
	it('reads the status of a sent message, and refuses an id that is not one', async () => {
		const sent = await run(node(send('+16505550123')));
		const id = String(sent.outputs[0][0].json.messageId);
		const status = await run(node({ resource: 'sms', operation: 'getStatus', messageId: id }));
		expect(status.outputs[0][0].json).toMatchObject({ messageId: id, to: '+16505550123', status: expect.any(String) });
		const bad = await run(node({ resource: 'sms', operation: 'getStatus', messageId: '12; DROP' }, { onError: 'continueRegularOutput' }));
		expect(bad.outputs[0][0].json).toMatchObject({ reason: 'invalid_input', field: 'messageId' });
	});
});

describe('Phone Number → List', () => {
	it('lists the extension numbers, filtered by feature', async () => {
		const all = await run(node({ resource: 'phoneNumber', operation: 'list', feature: '' }));
		const a2p = await run(node({ resource: 'phoneNumber', operation: 'list', feature: 'A2PSmsSender' }));
		expect(all.outputs[0].map((i) => i.json.phoneNumber)).toEqual(expect.arrayContaining(['+16505550100', '+16505550101', '+18885550100']));
		expect(a2p.outputs[0].map((i) => i.json.phoneNumber)).toEqual(['+18885550100']);
	});
});

describe('High-Volume SMS (A2P)', () => {
	it('sends one batch for all items, rejects bad numbers itself, and pairs every result with its item', async () => {
		const items = [{ json: { to: '+16505550123' } }, { json: { to: 'nope' } }, { json: { to: '+16505550124' } }];
		const r = await runNode(
			node({ resource: 'a2pBatch', operation: 'send', a2pFrom: 'auto', to: '={{ $json.to }}', text: 'Batch hello', batchOptions: {} }),
			items,
			{ credentials, outputCount: 1 },
		);
		const byTo = Object.fromEntries(r.outputs[0].map((i) => [String(i.json.to), i]));
		expect(byTo['+16505550123'].json).toMatchObject({ accepted: true, from: '+18885550100', batchId: expect.any(String) });
		expect(byTo['+16505550124'].pairedItem).toEqual({ item: 2 });
		expect(byTo.nope.json).toMatchObject({ accepted: false, reason: 'invalid_phone' });
		expect(byTo.nope.pairedItem).toEqual({ item: 1 });
		const batchId = String(byTo['+16505550123'].json.batchId);
		const got = await run(node({ resource: 'a2pBatch', operation: 'get', batchId }));
		expect(got.outputs[0][0].json).toMatchObject({ id: batchId });
	});
});
