import { SIM_DEFAULTS, type Simulator } from '../../../simulator';
import { accessToken, api, start } from './helpers';

const BATCHES = '/restapi/v1.0/account/~/a2p-sms/batches';

describe('simulator: A2P (high-volume) batches', () => {
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

	test('a batch accepts valid recipients and lists invalid ones in rejected[]', async () => {
		const created = await api(sim, 'POST', BATCHES, token, {
			from: SIM_DEFAULTS.a2pNumber,
			text: 'Default text',
			messages: [{ to: ['+14155550101'] }, { to: ['4155550102'] }, { to: ['+14155550103'], text: 'Own text' }, { to: [] }],
		});
		expect(created.status).toBe(200);
		expect(created.body).toMatchObject({ from: SIM_DEFAULTS.a2pNumber, batchSize: 4, processedCount: 0, status: 'Processing', cost: 0 });
		expect(created.body.rejected).toEqual([
			expect.objectContaining({ index: 1, to: ['4155550102'], errorCode: 'CMN-101' }),
			expect.objectContaining({ index: 3, to: [], errorCode: 'CMN-101' }),
		]);
		expect(sim.messages().map((m) => [m.to[0], m.text, m.batchId])).toEqual([
			['+14155550101', 'Default text', created.body.id],
			['+14155550103', 'Own text', created.body.id],
		]);

		const status = await api(sim, 'GET', `${BATCHES}/${created.body.id}`, token);
		expect(status.body).toMatchObject({ id: created.body.id, status: 'Completed', processedCount: 2 });

		const listed = await api(sim, 'GET', `/restapi/v1.0/account/~/a2p-sms/messages?batchId=${created.body.id}`, token);
		expect(listed.body.records).toHaveLength(2);
		expect(listed.body.records[0]).toMatchObject({ batchId: created.body.id, to: ['+14155550101'], messageStatus: 'Delivered', direction: 'Outbound' });
	});

	test('a batch whose messages are still queued stays Processing', async () => {
		sim.configure({ statusDelays: { sentMs: -1, deliveredMs: -1 } });
		const created = await api(sim, 'POST', BATCHES, token, { from: SIM_DEFAULTS.a2pNumber, text: 'x', messages: [{ to: ['+14155550101'] }] });
		expect((await api(sim, 'GET', `${BATCHES}/${created.body.id}`, token)).body).toMatchObject({ status: 'Processing', processedCount: 0 });
	});

	test('the sender needs A2PSmsSender; a foreign number → MSG-245', async () => {
		const p2p = await api(sim, 'POST', BATCHES, token, { from: SIM_DEFAULTS.smsNumbers[0], text: 'x', messages: [{ to: ['+14155550101'] }] });
		expect(p2p.status).toBe(400);
		expect(p2p.body.errors[0]).toMatchObject({ errorCode: 'MSG-367', parameterName: 'from' });
		const foreign = await api(sim, 'POST', BATCHES, token, { from: '+19995550000', text: 'x', messages: [{ to: ['+14155550101'] }] });
		expect(foreign.body.errors[0].errorCode).toBe('MSG-245');
		expect(sim.messages()).toHaveLength(0);
	});

	test('unknown batch → 404 CMN-102; an A2P message is not in the message store', async () => {
		expect((await api(sim, 'GET', `${BATCHES}/nope`, token)).body.errors[0].errorCode).toBe('CMN-102');
		await api(sim, 'POST', BATCHES, token, { from: SIM_DEFAULTS.a2pNumber, text: 'x', messages: [{ to: ['+14155550101'] }] });
		const id = sim.messages()[0].id;
		expect((await api(sim, 'GET', `/restapi/v1.0/account/~/extension/~/message-store/${id}`, token)).status).toBe(404);
	});
});
