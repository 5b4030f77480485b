/**
 * The simulator refuses what RingCentral's published contract refuses, in RingCentral's error shape, and
 * counts each request in the contract's rate-limit group (`x-throttling-group`).
 */
import { SIM_DEFAULTS, type Simulator } from '../../../simulator';
import { checkSchema, findOperation } from '../../../simulator/contract';
import { EXT, accessToken, api, login, sendSms, smsBody, start, tokenRequest } from './helpers';

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

describe('rate-limit groups come from the contract', () => {
	it.each([
		['GET', '/restapi/v1.0/account/~/extension/~/phone-number', 'light'],
		['GET', '/restapi/v1.0/account/~/extension/~', 'light'],
		['POST', '/restapi/v1.0/account/~/extension/~/sms', 'medium'],
		['GET', '/restapi/v1.0/account/~/extension/~/message-store/1', 'light'],
		['POST', '/restapi/v1.0/account/~/a2p-sms/batches', 'light'],
		['POST', '/restapi/oauth/token', 'auth'],
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
