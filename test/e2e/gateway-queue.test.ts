/**
 * The gateway in queue mode (main + one worker, Redis + PostgreSQL): the trigger runs on main, the
 * RingCentral and Reply nodes on the worker, and n8n carries the reply back to main. Checks that the
 * reply still reaches the caller in its format, that refused requests run nothing, and that the duplicate
 * window (held by main) still settles from the reply main writes.
 */
import { getPreset } from '../../lib/gateway';
import { startSimulator, type Simulator } from '../../simulator';
import { SMS_PATH, gatewayCredentials, gatewayWorkflow, type GatewayWorkflowOptions } from '../pure/gateway/workflows';
import { E2E_TIMEOUT_MS, newId, startN8n, type N8nInstance } from './harness';

const ids = { rc: newId(), auth: newId() };
const wf = (o: GatewayWorkflowOptions) => gatewayWorkflow(newId, ids, o);
let n8n: N8nInstance;
let sim: Simulator;

async function call(path: string, init: { method: string; query?: string; contentType?: string; body?: string }) {
	const res = await fetch(`${n8n.webhookUrl(path)}${init.query ? `?${init.query}` : ''}`, {
		method: init.method,
		headers: init.contentType ? { 'content-type': init.contentType } : {},
		body: init.body,
	});
	return { status: res.status, body: await res.text() };
}

async function waitForMessages(n: number) {
	const deadline = Date.now() + 20_000;
	while (sim.messages().length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

beforeAll(async () => {
	sim = await startSimulator({ port: 0, latencyMs: 0, config: { limits: { light: 100000, medium: 100000, heavy: 100000, auth: 1000 } } });
	n8n = await startN8n({
		workflows: [
			wf({ path: 'q-manageEngine', preset: 'manageEngine' }),
			wf({ path: 'q-curity', preset: 'curity' }),
			wf({ path: 'q-privacyIdea', preset: 'privacyIdea' }),
			wf({ path: 'q-prtg', preset: 'prtg', trigger: { gatewayOptions: { duplicateWindowSeconds: 60 } } }),
		],
		credentials: gatewayCredentials(sim.url, ids.rc, ids.auth),
		env: { N8N_RINGCENTRAL_SMS_PER_MINUTE: '100000', N8N_RINGCENTRAL_LIGHT_PER_MINUTE: '100000' },
		queueMode: { workers: 1 },
	});
}, E2E_TIMEOUT_MS);

afterAll(async () => {
	await n8n?.stop();
	await sim?.close();
}, 60_000);

beforeEach(() => sim.reset());

describe('SMS Gateway Trigger in queue mode', () => {
	it('ManageEngine GET: SMS sent by the worker, SUCCESS reaches the caller through main', async () => {
		const reply = await call('q-manageEngine', { method: 'GET', query: 'mobileNumber=16505550170&message=queue+code+1' });
		expect(reply).toEqual({ status: 200, body: 'SUCCESS' });
		expect(sim.messages().map((m) => [m.to, m.text])).toEqual([[['+16505550170'], 'queue code 1']]);
	});

	it('Curity: 200 with no body; RingCentral refusal → 502 JSON error; no SMS', async () => {
		expect(await call('q-curity', { method: 'POST', contentType: 'application/json', body: '{"to":"+16505550171","message":"q"}' })).toEqual({ status: 200, body: '' });
		sim.reset();
		sim.addFaults({ method: 'POST', path: SMS_PATH, status: 400, body: { errorCode: 'InvalidParameter', message: 'refused', errors: [{ errorCode: 'MSG-245', message: 'refused' }] } });
		const refused = await call('q-curity', { method: 'POST', contentType: 'application/json', body: '{"to":"+16505550172","message":"q"}' });
		expect(refused.status).toBe(502);
		expect(JSON.parse(refused.body)).toMatchObject({ error: 'send-failed' });
		expect(sim.messages()).toHaveLength(0);
	});

	it('malformed JSON is refused by main in the caller format and runs nothing', async () => {
		const reply = await call('q-curity', { method: 'POST', contentType: 'application/json', body: '{"to":' });
		expect(reply.status).toBe(400);
		expect(JSON.parse(reply.body)).toMatchObject({ error: 'malformed-json' });
		expect(sim.messages()).toHaveLength(0);
	});

	it('privacyIDEA replies immediately; the worker sends the SMS afterwards', async () => {
		const reply = await call('q-privacyIdea', { method: 'GET', query: 'phone=%2B16505550173&text=424242' });
		expect(reply).toEqual({ status: 200, body: getPreset('privacyIdea')!.reply.successBody });
		await waitForMessages(1);
		expect(sim.messages().map((m) => m.text)).toEqual(['424242']);
	});

	it('duplicate window works with the reply node on a worker: three PRTG retries, one SMS, OK each time', async () => {
		const q = 'number=%2B16505550174&text=Queue+sensor+down';
		const replies = [];
		for (let i = 0; i < 3; i++) replies.push(await call('q-prtg', { method: 'GET', query: q }));
		expect(replies).toEqual([{ status: 200, body: 'OK' }, { status: 200, body: 'OK' }, { status: 200, body: 'OK' }]);
		expect(sim.messages()).toHaveLength(1);
	});
});
