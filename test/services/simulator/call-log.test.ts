/** The simulator's call log and call queues against RingCentral's contract: paging, filters, Heavy group, permissions. */
import { SIM_DEFAULTS, seedCallLog, type Simulator } from '../../../simulator';
import { accessToken, api, start } from './helpers';

const ACCOUNT = '/restapi/v1.0/account/~';
let sim: Simulator;
let token: string;

beforeAll(async () => {
	sim = await start();
});
afterAll(async () => sim.close());
beforeEach(async () => {
	sim.reset();
	sim.configure({ limits: { heavy: 10000, light: 10000, medium: 10000 } });
	token = await accessToken(sim);
});

const DAY = 24 * 3600 * 1000;

describe('call log', () => {
	it('pages the account log newest first with navigation and paging, records carrying the documented fields', async () => {
		const now = Date.now();
		seedCallLog(sim.state, { count: 2500, from: new Date(now - 5 * DAY).toISOString(), to: new Date(now - 60_000).toISOString() });
		const query = `dateFrom=${new Date(now - 6 * DAY).toISOString()}&perPage=1000`;
		const first = await api(sim, 'GET', `${ACCOUNT}/call-log?${query}`, token);
		expect(first.status).toBe(200);
		expect(first.headers.get('x-rate-limit-group')).toBe('heavy');
		expect(first.body.paging).toMatchObject({ page: 1, perPage: 1000, totalPages: 3, totalElements: 2500 });
		expect(first.body.navigation.nextPage.uri).toContain('page=2');
		const r = first.body.records[0];
		for (const key of ['id', 'uri', 'sessionId', 'startTime', 'duration', 'type', 'direction', 'action', 'result', 'from', 'to']) expect(r).toHaveProperty(key);
		expect(r.legs).toBeUndefined();
		const times = first.body.records.map((x: any) => Date.parse(x.startTime));
		expect(times).toEqual([...times].sort((a, b) => b - a));
		const last = await api(sim, 'GET', `${ACCOUNT}/call-log?${query}&page=3`, token);
		expect(last.body.records).toHaveLength(500);
		expect(last.body.navigation.nextPage).toBeUndefined();
	});

	it('filters by date (default: the last 24 hours), type, direction and recording; Detailed adds legs', async () => {
		const now = Date.now();
		seedCallLog(sim.state, { count: 300, from: new Date(now - 3 * DAY).toISOString(), to: new Date(now).toISOString() });
		const all = (q: string) => api(sim, 'GET', `${ACCOUNT}/call-log?perPage=max&${q}`, token).then((x) => x.body);
		const lastDay = await all('');
		expect(lastDay.paging.totalElements).toBeGreaterThan(80);
		expect(lastDay.paging.totalElements).toBeLessThan(120);
		const everything = await all(`dateFrom=${new Date(now - 4 * DAY).toISOString()}`);
		expect(everything.paging.totalElements).toBe(300);
		const from = `dateFrom=${new Date(now - 4 * DAY).toISOString()}`;
		const faxes = await all(`${from}&type=Fax`);
		expect(faxes.records.length).toBeGreaterThan(0);
		expect(faxes.records.every((x: any) => x.type === 'Fax')).toBe(true);
		const outbound = await all(`${from}&direction=Outbound`);
		expect(outbound.records.every((x: any) => x.direction === 'Outbound')).toBe(true);
		expect(outbound.records.length).toBe(100);
		const recorded = await all(`${from}&withRecording=true`);
		expect(recorded.records.length).toBeGreaterThan(0);
		expect(recorded.records.every((x: any) => x.recording?.contentUri)).toBe(true);
		const detailed = await all(`${from}&view=Detailed&perPage=5`);
		expect(detailed.records[0].legs[0]).toHaveProperty('legType');
		expect(detailed.records[0]).toHaveProperty('lastModifiedTime');
		const bad = await api(sim, 'GET', `${ACCOUNT}/call-log?dateFrom=yesterday`, token);
		expect(bad.status).toBe(400);
		expect(bad.body.errors[0]).toMatchObject({ errorCode: 'CMN-101', parameterName: 'dateFrom' });
		const clamped = await all(`${from}&perPage=5000`);
		expect(clamped.paging.perPage).toBe(1000);
	});

	it('the extension log holds only the own extension; one record by id; unknown id is 404 CMN-102', async () => {
		const { ids } = seedCallLog(sim.state, { count: 30, days: 0.5 });
		const own = await api(sim, 'GET', `${ACCOUNT}/extension/~/call-log?perPage=max`, token);
		expect(own.body.records.length).toBe(10);
		expect(own.body.records.every((x: any) => String(x.extension.id) === SIM_DEFAULTS.extensionId)).toBe(true);
		const one = await api(sim, 'GET', `${ACCOUNT}/call-log/${ids[1]}?view=Detailed`, token);
		expect(one.status).toBe(200);
		expect(one.body.id).toBe(ids[1]);
		expect(one.body.legs).toHaveLength(1);
		const missing = await api(sim, 'GET', `${ACCOUNT}/call-log/NOPE123`, token);
		expect(missing.status).toBe(404);
		expect(missing.body.errors[0].errorCode).toBe('CMN-102');
	});

	it('the account log needs an admin role (FullCompanyCallLog), the extension log the ReadCallLog permission', async () => {
		const second = await accessToken(sim, SIM_DEFAULTS.second.jwt);
		const refused = await api(sim, 'GET', `${ACCOUNT}/call-log`, second);
		expect(refused.status).toBe(403);
		expect(refused.body.message).toContain('FullCompanyCallLog');
		expect((await api(sim, 'GET', `${ACCOUNT}/extension/~/call-log`, second)).status).toBe(200);
		const noScope = await accessToken(sim, SIM_DEFAULTS.noSms.jwt);
		const noPermission = await api(sim, 'GET', `${ACCOUNT}/extension/~/call-log`, noScope);
		expect(noPermission.status).toBe(403);
		expect(noPermission.body.message).toContain('ReadCallLog');
	});

	it('is in the Heavy group: the 11th request in a minute is a 429 with Retry-After, other groups unaffected', async () => {
		sim.configure({ limits: { heavy: 10 }, windowSeconds: 60, penaltySeconds: 60 });
		for (let i = 0; i < 10; i++) expect((await api(sim, 'GET', `${ACCOUNT}/call-log`, token)).status).toBe(200);
		const refused = await api(sim, 'GET', `${ACCOUNT}/extension/~/call-log`, token);
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBe('60');
		expect(refused.body.errorCode).toBe('CMN-301');
		// Other groups are not affected.
		expect((await api(sim, 'GET', `${ACCOUNT}/extension/~`, token)).status).toBe(200);
		expect(sim.stats().rateLimitedByGroup.heavy).toBe(1);
	});

	it('seeds through the control API', async () => {
		const res = await fetch(`${sim.url}/_sim/call-log`, { method: 'POST', body: JSON.stringify({ count: 5000, days: 10 }) });
		expect(await res.json()).toMatchObject({ added: 5000, total: 5000 });
		const late = await fetch(`${sim.url}/_sim/call-log`, {
			method: 'POST',
			body: JSON.stringify({ records: [{ id: 'LATE0001', startTime: new Date(Date.now() - 3600_000).toISOString(), extensionId: SIM_DEFAULTS.extensionId }] }),
		});
		expect(await late.json()).toMatchObject({ added: 1, total: 5001, ids: ['LATE0001'] });
		expect((await api(sim, 'GET', `${ACCOUNT}/call-log/LATE0001`, token)).status).toBe(200);
	});
});

describe('call queues', () => {
	it('lists queues (Medium) and their members (Light), paged', async () => {
		const queues = await api(sim, 'GET', `${ACCOUNT}/call-queues`, token);
		expect(queues.status).toBe(200);
		expect(queues.headers.get('x-rate-limit-group')).toBe('medium');
		expect(queues.body.records.map((q: any) => q.name)).toEqual(['Support', 'Sales']);
		expect(queues.body.paging.totalElements).toBe(2);
		const members = await api(sim, 'GET', `${ACCOUNT}/call-queues/${queues.body.records[0].id}/members?perPage=2`, token);
		expect(members.headers.get('x-rate-limit-group')).toBe('light');
		expect(members.body.records).toHaveLength(2);
		expect(members.body.paging.totalPages).toBe(2);
		expect(members.body.records[0]).toMatchObject({ id: Number(SIM_DEFAULTS.extensionId), extensionNumber: '101' });
		expect((await api(sim, 'GET', `${ACCOUNT}/call-queues/999/members`, token)).status).toBe(404);
	});
});
