/**
 * The simulator refuses what RingCentral's published contract refuses, in RingCentral's error shape, and
 * counts each request in the contract's rate-limit group (`x-throttling-group`).
 */
import { SIM_DEFAULTS, type Simulator } from '../../../simulator';
import { checkSchema, findOperation } from '../../../simulator/contract';
import { EXT, accessToken, api, login, sendSms, smsBody, start, tokenRequest } from './helpers';
import { allowContractViolations } from '../../contract-guard';

// Sends requests outside the contract on purpose, to see the simulator refuse them.
allowContractViolations();

let sim: Simulator;
let token: string;

beforeAll(async () => {
	sim = await start();
});

afterAll(async () => await sim.close());

beforeEach(async () => {
	sim.reset();
	token = await accessToken(sim);
});

describe('query parameters', () => {
	it('an empty enum value (usageType=) is refused with CMN-101 naming the parameter; a listed value passes', async () => {
		const empty = await api(sim, 'GET', `${EXT}/phone-number?page=1&perPage=100&usageType=`, token);
		expect(empty.status).toBe(400);
		expect(empty.body).toMatchObject({ errorCode: 'InvalidParameter', errors: [{ errorCode: 'CMN-101', parameterName: 'usageType' }] });
		expect((await api(sim, 'GET', `${EXT}/phone-number?usageType=DirectNumber&usageType=MainCompanyNumber`, token)).status).toBe(200);
		expect(sim.stats().contractViolations).toBe(1);
	});

	it('a non-integer page is refused', async () => {
		const result = await api(sim, 'GET', `${EXT}/phone-number?page=first`, token);
		expect(result.body.errors[0]).toMatchObject({ errorCode: 'CMN-101', parameterName: 'page' });
	});
});

describe('request bodies', () => {
	it('a recipient without phoneNumber is refused with CMN-100 at its path, and nothing is stored', async () => {
		const result = await sendSms(sim, token, { from: { phoneNumber: SIM_DEFAULTS.smsNumbers[0] }, to: [{ name: 'Ann' }], text: 'x' });
		expect(result.status).toBe(400);
		expect(result.body.errors[0]).toMatchObject({ errorCode: 'CMN-100', parameterName: 'to[0].phoneNumber' });
		expect(sim.messages()).toHaveLength(0);
	});

	it('a text that is not a string is refused', async () => {
		const result = await sendSms(sim, token, { ...smsBody('+16505550123'), text: 42 });
		expect(result.body.errors[0]).toMatchObject({ errorCode: 'CMN-101', parameterName: 'text' });
	});

	it('the JWT grant without an assertion: 400 invalid_request in the OAuth shape', async () => {
		const result = await tokenRequest(sim, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' });
		expect(result.status).toBe(400);
		expect(result.body).toMatchObject({ error: 'invalid_request', errors: [{ message: 'Parameter [assertion] is required' }] });
	});

	it('a grant the contract does not list keeps the specific OAuth answer', async () => {
		const result = await tokenRequest(sim, { grant_type: 'password', username: 'u', password: 'p' });
		expect(result.status).toBe(400);
		expect(result.body.error).not.toBe('invalid_request');
	});

	it('a conforming login passes', async () => {
		expect((await login(sim)).status).toBe(200);
		expect(sim.stats().contractViolations).toBe(0);
	});
});

/** A multipart Send MMS body: the JSON part, then one file per attachment. */
function mmsRequest(fields: unknown, files: number): { body: Buffer; type: string } {
	const boundary = 'contract-test-boundary';
	const parts = [`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(fields)}\r\n`];
	for (let i = 0; i < files; i++) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="f${i}.txt"\r\nContent-Type: text/plain\r\n\r\nfile ${i}\r\n`);
	return { body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`), type: `multipart/form-data; boundary=${boundary}` };
}

describe('subscriptions, the message store and MMS are held to the contract too', () => {
	it('a subscription without deliveryMode is refused with CMN-100, and none is created', async () => {
		const result = await api(sim, 'POST', '/restapi/v1.0/subscription', token, { eventFilters: [`${EXT}/message-store/instant?type=SMS`] });
		expect(result.status).toBe(400);
		expect(result.body.errors[0]).toMatchObject({ errorCode: 'CMN-100', parameterName: 'deliveryMode' });
		expect((await api(sim, 'GET', '/restapi/v1.0/subscription', token)).body.records).toHaveLength(0);
	});

	it('a message-store list with a direction outside the enum is refused; a listed one passes', async () => {
		const refused = await api(sim, 'GET', `${EXT}/message-store?direction=Sideways`, token);
		expect(refused.status).toBe(400);
		expect(refused.body.errors[0]).toMatchObject({ errorCode: 'CMN-101', parameterName: 'direction' });
		expect((await api(sim, 'GET', `${EXT}/message-store?direction=Inbound&messageType=SMS`, token)).status).toBe(200);
		expect(sim.stats().contractViolations).toBe(1);
	});

	it('an MMS whose JSON part lacks `to` is refused with CMN-100 before anything is stored; a conforming one is sent', async () => {
		const send = (fields: unknown, files: number) => {
			const { body, type } = mmsRequest(fields, files);
			return fetch(`${sim.url}${EXT}/mms`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': type }, body: new Uint8Array(body) });
		};
		const missing = await send({ from: { phoneNumber: SIM_DEFAULTS.smsNumbers[0] }, text: 'x' }, 1);
		expect(missing.status).toBe(400);
		expect(((await missing.json()) as any).errors[0]).toMatchObject({ errorCode: 'CMN-100', parameterName: 'to' });
		const noFiles = await send({ from: { phoneNumber: SIM_DEFAULTS.smsNumbers[0] }, to: [{ phoneNumber: '+14155550123' }] }, 0);
		expect(((await noFiles.json()) as any).errors[0]).toMatchObject({ errorCode: 'CMN-100', parameterName: 'attachments' });
		expect(sim.messages()).toHaveLength(0);
		const ok = await send({ from: { phoneNumber: SIM_DEFAULTS.smsNumbers[0] }, to: [{ phoneNumber: '+14155550123' }], text: 'x' }, 1);
		expect(ok.status).toBe(200);
		expect(sim.stats().contractViolations).toBe(2);
	});
});

describe('rate-limit groups come from the contract', () => {
	it.each([
		['GET', '/restapi/v1.0/account/~/extension/~/phone-number', 'light'],
		['GET', '/restapi/v1.0/account/~/extension/~', 'light'],
		['POST', '/restapi/v1.0/account/~/extension/~/sms', 'medium'],
		['GET', '/restapi/v1.0/account/~/extension/~/message-store/1', 'light'],
		['POST', '/restapi/v1.0/account/~/a2p-sms/batches', 'light'],
		['POST', '/restapi/oauth/token', 'auth'],
		['POST', '/restapi/v1.0/subscription', 'medium'],
		['POST', '/restapi/v1.0/subscription/abc/renew', 'light'],
		['GET', '/restapi/v1.0/account/~/extension/~/message-store/1/content/2', 'medium'],
		['POST', '/restapi/v1.0/account/~/extension/~/mms', 'medium'],
	])('%s %s → %s', (method, path, group) => {
		expect(findOperation(method, path)?.group).toBe(group);
	});

	it('the answer names the group in X-Rate-Limit-Group', async () => {
		const res = await fetch(`${sim.url}${EXT}/phone-number`, { headers: { Authorization: `Bearer ${token}` } });
		expect(res.headers.get('x-rate-limit-group')).toBe('light');
	});
});

describe('schema checker', () => {
	const schema = { type: 'object', required: ['a'], properties: { a: { type: 'integer', minimum: 1 }, b: { type: 'array', items: { type: 'string', enum: ['x'] } } } };
	it('names the first refused value, reading wire strings as the schema type', () => {
		expect(checkSchema(schema, { a: 2, b: ['x'] }, '')).toBeUndefined();
		expect(checkSchema(schema, {}, '')).toEqual({ parameter: 'a', missing: true });
		expect(checkSchema(schema, { a: 0 }, '')).toEqual({ parameter: 'a', missing: false });
		expect(checkSchema(schema, { a: 1, b: ['y'] }, '')).toEqual({ parameter: 'b[0]', missing: false });
		expect(checkSchema(schema, { a: '3' }, '', true)).toBeUndefined();
		expect(checkSchema(schema, { a: '3' }, '')).toEqual({ parameter: 'a', missing: false });
	});
});
