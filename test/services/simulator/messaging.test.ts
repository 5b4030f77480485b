/**
 * Two-way messaging in the simulator, driven through the package's own transport: subscriptions with
 * the validation handshake (and SUB-525 when it is wrong), lifetime at the top level only, renew, list,
 * delete, blacklisting after failed deliveries, the message-store list oldest-first with paging,
 * attachment content, and Send MMS as multipart with its limits.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	MMS_MAX_TOTAL_BYTES,
	RingCentralApiError,
	createWebhookSubscription,
	deleteSubscription,
	getMessageContent,
	getRingCentralClient,
	getSubscription,
	listMessages,
	listSubscriptions,
	renewSubscription,
	resetRingCentralClients,
	sendMms,
	type RingCentralClient,
} from '../../../lib/ringcentral';
import { SIM_DEFAULTS, type Simulator } from '../../../simulator';
import { start } from './helpers';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;
let sim: Simulator;
let client: RingCentralClient;
let hook: http.Server;
let hookUrl = '';
let handler: Handler;
const received: Array<{ headers: http.IncomingHttpHeaders; body: any }> = [];

const echo: Handler = (req, res, body) => {
	const token = req.headers['validation-token'];
	if (token && !body) {
		res.writeHead(200, { 'Validation-Token': String(token) }).end();
		return;
	}
	received.push({ headers: req.headers, body: body ? JSON.parse(body) : undefined });
	res.writeHead(200).end();
};

const control = async (method: string, path: string, body?: unknown) => {
	const res = await fetch(`${sim.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
	return (await res.json()) as any;
};

const subscribe = (expiresIn = 3600, token = 'verify-me-123456') =>
	createWebhookSubscription(client, { address: hookUrl, eventFilters: ['/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS'], verificationToken: token, expiresIn });

beforeAll(async () => {
	sim = await start();
	client = getRingCentralClient({ serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt });
	hook = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => handler(req, res, body));
	});
	await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
	hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
});

beforeEach(() => {
	handler = echo;
	received.length = 0;
	sim.reset();
});

afterAll(async () => {
	await resetRingCentralClients();
	await sim.close();
	await new Promise((r) => hook.close(r));
});

describe('subscriptions', () => {
	test('create runs the handshake, keeps the lifetime given at the top level, and lists, renews, deletes', async () => {
		const sub = await subscribe(1200);
		expect(sub.status).toBe('Active');
		expect(sub.deliveryMode?.address).toBe(hookUrl);
		expect(sub.expiresIn).toBeGreaterThan(1190);
		expect(sub.expiresIn).toBeLessThanOrEqual(1200);
		expect((await listSubscriptions(client)).map((s) => s.id)).toEqual([sub.id]);
		const renewed = await renewSubscription(client, sub.id);
		expect(Date.parse(String(renewed.expirationTime))).toBeGreaterThanOrEqual(Date.parse(String(sub.expirationTime)));
		await deleteSubscription(client, sub.id);
		expect(await getSubscription(client, sub.id)).toBeUndefined();
		expect(await listSubscriptions(client)).toEqual([]);
	});

	test('expiresIn inside deliveryMode is ignored: the 7-day default applies', async () => {
		await client.authenticate();
		const answer = await client.session.call<any>({
			method: 'POST',
			path: '/restapi/v1.0/subscription',
			body: { eventFilters: ['/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS'], deliveryMode: { transportType: 'WebHook', address: hookUrl, expiresIn: 60 } },
			group: 'medium',
			idempotent: false,
		});
		expect(answer.expiresIn).toBeGreaterThan(604_000);
	});

	test.each([
		['no echo', ((_req, res) => res.writeHead(200).end()) as Handler],
		['a wrong echo', ((_req, res) => res.writeHead(200, { 'Validation-Token': 'something-else' }).end()) as Handler],
		['a 500', ((req, res) => res.writeHead(500, { 'Validation-Token': String(req.headers['validation-token']) }).end()) as Handler],
		['an answer over 1,024 bytes', ((req, res) => res.writeHead(200, { 'Validation-Token': String(req.headers['validation-token']) }).end('x'.repeat(1100))) as Handler],
	])('a handshake with %s is refused with SUB-525 and creates nothing', async (_what, bad) => {
		handler = bad;
		expect.assertions(3);
		try {
			await subscribe();
		} catch (error) {
			expect(error).toBeInstanceOf(RingCentralApiError);
			expect((error as RingCentralApiError).errorCode).toBe('SUB-525');
		}
		expect(await listSubscriptions(client)).toEqual([]);
	});

	test('a handshake slower than the deadline (3 s on the platform, 200 ms here) is refused with SUB-525', async () => {
		await control('POST', '/_sim/subscriptions/config', { handshakeTimeoutMs: 200 });
		handler = (req, res) => setTimeout(() => res.writeHead(200, { 'Validation-Token': String(req.headers['validation-token']) }).end(), 400);
		await expect(subscribe()).rejects.toMatchObject({ errorCode: 'SUB-525' });
	});

	test('an inbound SMS is delivered with the verification token, uuid, event and the message record', async () => {
		const sub = await subscribe();
		const sent = await control('POST', '/_sim/inbound?wait=true', { from: '+14155550123', to: SIM_DEFAULTS.smsNumbers[0], text: 'hi' });
		expect(sent.deliveries[0].ok).toBe(true);
		expect(received).toHaveLength(1);
		expect(received[0].headers['verification-token']).toBe('verify-me-123456');
		expect(received[0].body).toMatchObject({
			subscriptionId: sub.id,
			event: expect.stringMatching(/\/message-store\/instant\?type=SMS$/),
			body: { id: Number(sent.id), direction: 'Inbound', subject: 'hi', messageStatus: 'Received', from: { phoneNumber: '+14155550123' } },
		});
		expect(received[0].body.uuid).toMatch(/^[0-9a-f-]{36}$/);
	});

	test('three failed deliveries in a row blacklist the subscription for good', async () => {
		const sub = await subscribe();
		handler = (_req, res) => res.writeHead(503).end();
		for (let i = 0; i < 3; i++) await control('POST', '/_sim/inbound?wait=true', { from: '+14155550123', to: SIM_DEFAULTS.smsNumbers[0], text: `m${i}` });
		const info = await getSubscription(client, sub.id);
		expect(info?.status).toBe('Blacklisted');
		expect(info?.blacklistedData?.reason).toBeTruthy();
		await expect(renewSubscription(client, sub.id)).rejects.toBeInstanceOf(RingCentralApiError);
	});
});

describe('message store and MMS', () => {
	test('the list is read across pages, oldest first, inbound only', async () => {
		for (let i = 0; i < 5; i++) await control('POST', '/_sim/inbound', { from: '+14155550123', to: SIM_DEFAULTS.smsNumbers[0], text: `n${i}` });
		await client.sendSms({ from: SIM_DEFAULTS.smsNumbers[0], to: '+14155550123', text: 'outbound' });
		const list = await listMessages(client, { dateFrom: new Date(Date.now() - 60_000).toISOString(), direction: 'Inbound', perPage: 2 });
		expect(list.map((m) => m.subject)).toEqual(['n0', 'n1', 'n2', 'n3', 'n4']);
	});

	test('an MMS with two attachments goes out as multipart and its attachments read back byte for byte', async () => {
		const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);
		const pdf = Buffer.from('%PDF-1.4 tiny');
		const record = await sendMms(client, {
			from: SIM_DEFAULTS.smsNumbers[0],
			to: '+14155550123',
			text: 'two files',
			attachments: [
				{ data: png, contentType: 'image/png', fileName: 'a.png' },
				{ data: pdf, contentType: 'application/pdf', fileName: 'b.pdf' },
			],
		});
		const files = (record.attachments as any[]).filter((a) => a.type === 'MmsAttachment');
		expect(files.map((f) => [f.fileName, f.contentType, f.size])).toEqual([
			['a.png', 'image/png', png.length],
			['b.pdf', 'application/pdf', pdf.length],
		]);
		expect(await getMessageContent(client, files[0].uri)).toEqual(png);
		expect(await getMessageContent(client, files[1].uri)).toEqual(pdf);
	});

	test('MMS limits are checked before sending: 11 attachments, over 1.5 MB', async () => {
		const one = { data: Buffer.from('x'), contentType: 'text/plain', fileName: 'x.txt' };
		await expect(sendMms(client, { from: SIM_DEFAULTS.smsNumbers[0], to: '+14155550123', attachments: Array(11).fill(one) })).rejects.toThrow(/at most 10/);
		const big = { data: Buffer.alloc(MMS_MAX_TOTAL_BYTES + 1), contentType: 'image/jpeg', fileName: 'big.jpg' };
		await expect(sendMms(client, { from: SIM_DEFAULTS.smsNumbers[0], to: '+14155550123', attachments: [big] })).rejects.toThrow(/1\.5 MB/);
		expect(sim.stats().smsAccepted).toBe(0);
	});

	test('a From without MmsSender is refused by the platform', async () => {
		const one = { data: Buffer.from('x'), contentType: 'text/plain', fileName: 'x.txt' };
		await expect(sendMms(client, { from: SIM_DEFAULTS.smsNumbers[1], to: '+14155550123', attachments: [one] })).rejects.toMatchObject({ status: 400 });
	});

	test('an attachment address outside the message store is never fetched', async () => {
		await expect(getMessageContent(client, 'https://evil.example/steal')).rejects.toThrow(/not a RingCentral message-store content address/);
	});
});
