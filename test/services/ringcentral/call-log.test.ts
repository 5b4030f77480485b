/**
 * Call-log reads through the one transport, against the simulator: paging follows navigation one page at a
 * time, the Heavy group is paced (no 429 over many pages), limits stop early, and refusals are sentences.
 * The simulator's window is shrunk to 2 s (and the transport told so) to keep the test short.
 */
import { SIM_DEFAULTS, seedCallLog, startSimulator, type Simulator } from '../../../simulator';
import {
	RingCentralApiError,
	commitPosition,
	getCallRecord,
	getRingCentralClient,
	listCallLog,
	listCallQueueMembers,
	listCallQueues,
	planWindow,
	resetRingCentralClients,
	uniqueById,
	type RingCentralCredentials,
} from '../../../lib/ringcentral';

let sim: Simulator;
const saved = { ...process.env };
const creds = (jwt: string = SIM_DEFAULTS.jwt): RingCentralCredentials => ({
	serverUrl: sim.url,
	clientId: SIM_DEFAULTS.clientId,
	clientSecret: SIM_DEFAULTS.clientSecret,
	jwt,
});

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
});
afterAll(async () => {
	process.env = saved;
	await resetRingCentralClients();
	await sim.close();
});
beforeEach(async () => {
	await resetRingCentralClients();
	sim.reset();
	process.env.N8N_RINGCENTRAL_RATE_WINDOW_MS = '2000';
	process.env.N8N_RINGCENTRAL_HEAVY_PER_MINUTE = '10';
	sim.configure({ limits: { heavy: 10, light: 1000, medium: 1000 }, windowSeconds: 2, penaltySeconds: 2 });
});

const DAY = 24 * 3600 * 1000;

describe('call log through the transport', () => {
	it('Return All reads 25 pages one at a time in the Heavy group without a single 429', async () => {
		seedCallLog(sim.state, { count: 2500, days: 0.9 });
		const pages: number[] = [];
		const session = getRingCentralClient(creds()).session;
		const records = await listCallLog(session, { scope: 'account' }, { perPage: 100, timeoutMs: 30_000, onPage: (p) => pages.push(p.page) });
		expect(records).toHaveLength(2500);
		expect(new Set(records.map((r) => r.id)).size).toBe(2500);
		expect(pages).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
		expect(sim.stats().requestsByGroup.heavy).toBe(25);
		expect(sim.stats().rateLimitedByGroup.heavy).toBe(0);
	}, 60_000);

	it('a limit asks for no more than it needs', async () => {
		seedCallLog(sim.state, { count: 500, days: 0.5 });
		const session = getRingCentralClient(creds()).session;
		const records = await listCallLog(session, { scope: 'account', view: 'Detailed', type: 'Voice' }, { limit: 150, perPage: 100 });
		expect(records).toHaveLength(150);
		expect(records.every((r) => r.type === 'Voice' && Array.isArray(r.legs))).toBe(true);
		expect(sim.stats().requestsByGroup.heavy).toBe(2);
	});

	it('dates bound the read; one record by id', async () => {
		const now = Date.now();
		seedCallLog(sim.state, { count: 100, from: new Date(now - 10 * DAY).toISOString(), to: new Date(now).toISOString() });
		const session = getRingCentralClient(creds()).session;
		const from = new Date(now - 5 * DAY).toISOString();
		const records = await listCallLog(session, { scope: 'account', dateFrom: from });
		expect(records.length).toBeGreaterThan(45);
		expect(records.length).toBeLessThan(55);
		expect(records.every((r) => String(r.startTime) >= from)).toBe(true);
		const one = await getCallRecord(session, records[3].id, { scope: 'account' });
		expect(one.id).toBe(records[3].id);
	});

	it('a user without an admin role gets a sentence naming ReadCallLog and the admin role', async () => {
		const session = getRingCentralClient(creds(SIM_DEFAULTS.second.jwt)).session;
		const error = await listCallLog(session, { scope: 'account' }).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(RingCentralApiError);
		expect((error as RingCentralApiError).status).toBe(403);
		expect((error as Error).message).toMatch(/ReadCallLog.*admin role/);
		expect((error as Error).message).toMatch(/Scope to Extension/);
	});

	it('call queues and their members', async () => {
		const session = getRingCentralClient(creds()).session;
		const queues = await listCallQueues(session);
		expect(queues.map((q) => q.name)).toEqual(['Support', 'Sales']);
		const members = await listCallQueueMembers(session, queues[0].id, { perPage: 1 });
		expect(members).toHaveLength(3);
		await expect(listCallQueueMembers(session, '../x')).rejects.toThrow(/not a RingCentral call queue id/);
	});
});

describe('sync window arithmetic', () => {
	const now = Date.parse('2026-12-02T12:00:00Z');
	it('first run back-fills, later runs overlap the last committed end', () => {
		expect(planWindow(undefined, { now, overlapMs: 600_000, backfillMs: 30 * DAY })).toEqual({
			dateFrom: '2026-11-02T12:00:00.000Z',
			dateTo: '2026-12-02T12:00:00.000Z',
			firstRun: true,
		});
		const next = planWindow({ syncedUntil: '2026-12-02T11:00:00.000Z' }, { now, overlapMs: 600_000, backfillMs: DAY });
		expect(next).toEqual({ dateFrom: '2026-12-02T10:50:00.000Z', dateTo: '2026-12-02T12:00:00.000Z', firstRun: false });
		// A position ahead of the clock never skips: the window starts an overlap before now.
		expect(planWindow({ syncedUntil: '2027-01-01T00:00:00.000Z' }, { now, overlapMs: 600_000, backfillMs: DAY }).dateFrom).toBe('2026-12-02T11:50:00.000Z');
	});

	it('commit moves only forward and only with a pending window', () => {
		const pending = { dateFrom: 'x', dateTo: '2026-12-02T12:00:00.000Z', records: 3 };
		expect(commitPosition({ syncedUntil: '2026-12-02T11:00:00.000Z', pending }, now)).toMatchObject({ moved: true, position: { syncedUntil: pending.dateTo, lastRecords: 3 } });
		expect(commitPosition({ syncedUntil: '2026-12-03T00:00:00.000Z', pending }, now)).toMatchObject({ moved: false, position: { syncedUntil: '2026-12-03T00:00:00.000Z' } });
		expect(commitPosition({ syncedUntil: '2026-12-02T11:00:00.000Z' }, now)).toEqual({ moved: false, position: { syncedUntil: '2026-12-02T11:00:00.000Z' } });
	});

	it('a record repeated by a page shift is kept once', () => {
		expect(uniqueById([{ id: 'a' }, { id: 'b' }, { id: 'a' }]).map((r) => r.id)).toEqual(['a', 'b']);
	});
});
