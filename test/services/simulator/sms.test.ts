import { SIM_DEFAULTS, type Simulator } from '../../../simulator';
import { accessToken, api, EXT, sendSms, smsBody, start } from './helpers';
import { allowContractViolations } from '../../contract-guard';

// Sends requests outside the contract on purpose, to see the simulator refuse them.
allowContractViolations();

const TO = '+14155550123';

describe('simulator: send SMS, message status, phone numbers, extension', () => {
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
		sim.configure({ statusDelays: { sentMs: 0, deliveredMs: 0 } });
		token = await accessToken(sim);
	});

	test('an accepted SMS returns the message record (Queued) and is stored exactly as sent', async () => {
		const result = await sendSms(sim, token, smsBody(TO, 'Héllo 👋'));
		expect(result.status).toBe(200);
		expect(result.headers.get('x-rate-limit-group')).toBe('medium');
		const record = result.body;
		expect(record).toMatchObject({
			type: 'SMS',
			direction: 'Outbound',
			messageStatus: 'Queued',
			subject: 'Héllo 👋',
			from: { phoneNumber: SIM_DEFAULTS.smsNumbers[0] },
			to: [{ phoneNumber: TO }],
			readStatus: 'Read',
			availability: 'Alive',
		});
		expect(typeof record.id).toBe('number');
		expect(record.uri).toContain(`/message-store/${record.id}`);
		expect(typeof record.conversation.id).toBe('string');
		expect(Date.parse(record.creationTime)).not.toBeNaN();
		expect(Date.parse(record.lastModifiedTime)).not.toBeNaN();
		expect(sim.messages()).toEqual([expect.objectContaining({ id: String(record.id), from: SIM_DEFAULTS.smsNumbers[0], to: [TO], text: 'Héllo 👋' })]);
	});

	test('conversationId is sent as a raw int64, so JSON.parse loses precision while conversation.id keeps it', async () => {
		const response = await fetch(`${sim.url}${EXT}/sms`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify(smsBody(TO)),
		});
		const raw = await response.text();
		const parsed = JSON.parse(raw);
		expect(raw).toContain(`"conversationId":${parsed.conversation.id}`);
		expect(parsed.conversation.id).toMatch(/^\d{19}$/);
	});

	test.each([
		['a number of another extension', smsBody(TO, 'x', SIM_DEFAULTS.second.smsNumbers[0]), 'MSG-245', 'from'],
		['no from at all (the contract requires it)', { to: [{ phoneNumber: TO }], text: 'x' }, 'CMN-100', 'from'],
		['an own number without SmsSender', smsBody(TO, 'x', SIM_DEFAULTS.otherNumbers[0]), 'MSG-367', 'from'],
		['the A2P-only toll-free number', smsBody(TO, 'x', SIM_DEFAULTS.a2pNumber), 'MSG-367', 'from'],
		['no recipients', { from: { phoneNumber: SIM_DEFAULTS.smsNumbers[0] }, to: [], text: 'x' }, 'CMN-101', 'to'],
		['a 10-digit number without +', smsBody('4155550123'), 'CMN-101', 'to'],
		['a number with letters', smsBody('+1415CALLME'), 'CMN-101', 'to'],
		['11 recipients', smsBody(Array.from({ length: 11 }, (_, i) => `+1415555${String(1000 + i)}`)), 'MSG-381', 'to'],
		['an empty text', smsBody(TO, ''), 'CMN-101', 'text'],
		['1001 UTF-16 units', smsBody(TO, 'a'.repeat(1001)), 'MSG-338', 'text'],
		['500 emoji (1000 units) plus one', smsBody(TO, `${'👋'.repeat(500)}a`), 'MSG-338', 'text'],
	])('refuses %s with 400 %s on [%s] and stores nothing', async (_name, body, code, parameter) => {
		const result = await sendSms(sim, token, body);
		expect(result.status).toBe(400);
		expect(result.body.errorCode).toBe('InvalidParameter');
		expect(result.body.errors[0]).toMatchObject({ errorCode: code, parameterName: parameter });
		expect(typeof result.body.message).toBe('string');
		expect(sim.messages()).toHaveLength(0);
		expect(sim.stats().smsRejected).toBe(1);
	});

	test('CMN-101 on [to] uses RingCentral’s wording', async () => {
		const result = await sendSms(sim, token, smsBody('12345'));
		expect(result.body.errors[0].message).toBe('Parameter [to] value is invalid.');
	});

	test('exactly 1000 UTF-16 units and 10 recipients are accepted (a group message)', async () => {
		expect((await sendSms(sim, token, smsBody(TO, '👋'.repeat(500)))).status).toBe(200);
		const group = Array.from({ length: 10 }, (_, i) => `+1415555${String(2000 + i)}`);
		const result = await sendSms(sim, token, smsBody(group));
		expect(result.status).toBe(200);
		expect(result.body.to).toHaveLength(10);
		expect(sim.messages()).toHaveLength(2);
	});

	test('malformed JSON → 400, nothing stored', async () => {
		const response = await fetch(`${sim.url}${EXT}/sms`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: '{"from":',
		});
		expect(response.status).toBe(400);
		expect(sim.messages()).toHaveLength(0);
	});

	test('status: Queued while sending is pending, Sent without a carrier receipt, Delivered with smsDeliveryTime', async () => {
		const read = async (id: number) => (await api(sim, 'GET', `${EXT}/message-store/${id}`, token)).body;
		sim.configure({ statusDelays: { sentMs: -1, deliveredMs: -1 } });
		const queued = (await sendSms(sim, token, smsBody(TO))).body.id;
		expect(await read(queued)).toMatchObject({ messageStatus: 'Queued' });
		expect((await read(queued)).smsSendingAttemptsCount).toBeUndefined();

		sim.configure({ statusDelays: { sentMs: 0, deliveredMs: -1 } });
		const sent = (await sendSms(sim, token, smsBody(TO))).body.id;
		const sentRecord = await read(sent);
		expect(sentRecord).toMatchObject({ messageStatus: 'Sent', smsSendingAttemptsCount: 1 });
		expect(sentRecord.smsDeliveryTime).toBeUndefined();

		sim.configure({ statusDelays: { sentMs: 0, deliveredMs: 0 } });
		const delivered = (await sendSms(sim, token, smsBody(TO))).body.id;
		const deliveredRecord = await read(delivered);
		expect(deliveredRecord).toMatchObject({ messageStatus: 'Delivered', to: [{ phoneNumber: TO, messageStatus: 'Delivered' }] });
		expect(Date.parse(deliveredRecord.smsDeliveryTime)).not.toBeNaN();
		expect(sim.messages().map((m) => m.status)).toEqual(['Queued', 'Sent', 'Delivered']);
	});

	test('numbers configured to fail end in DeliveryFailed / SendingFailed with a deliveryErrorCode', async () => {
		const failed = (await sendSms(sim, token, smsBody(SIM_DEFAULTS.failingNumbers.deliveryFailed))).body.id;
		const notSent = (await sendSms(sim, token, smsBody(SIM_DEFAULTS.failingNumbers.sendingFailed))).body.id;
		sim.configure({ failingNumbers: { [TO]: { status: 'DeliveryFailed', errorCode: 'SMS-CAR-432' } } });
		const custom = (await sendSms(sim, token, smsBody(TO))).body.id;
		const read = async (id: number) => (await api(sim, 'GET', `${EXT}/message-store/${id}`, token)).body;
		expect(await read(failed)).toMatchObject({ messageStatus: 'DeliveryFailed', deliveryErrorCode: 'SMS-CAR-411' });
		expect(await read(notSent)).toMatchObject({ messageStatus: 'SendingFailed', deliveryErrorCode: expect.stringMatching(/^SMS-RC-/) });
		expect(await read(custom)).toMatchObject({ messageStatus: 'DeliveryFailed', deliveryErrorCode: 'SMS-CAR-432' });
		// null takes a number off the failing list again.
		sim.configure({ failingNumbers: { [TO]: null } });
		const fixed = (await sendSms(sim, token, smsBody(TO))).body.id;
		expect(await read(fixed)).toMatchObject({ messageStatus: 'Delivered' });
	});

	test('message-store: unknown id → 404 CMN-102; another extension cannot read my message', async () => {
		const missing = await api(sim, 'GET', `${EXT}/message-store/999`, token);
		expect(missing.status).toBe(404);
		expect(missing.body.errors[0].errorCode).toBe('CMN-102');
		const id = (await sendSms(sim, token, smsBody(TO))).body.id;
		const other = await accessToken(sim, SIM_DEFAULTS.second.jwt);
		expect((await api(sim, 'GET', `${EXT}/message-store/${id}`, other)).status).toBe(404);
		expect((await api(sim, 'GET', `${EXT}/message-store/${id}`, token)).headers.get('x-rate-limit-group')).toBe('light');
	});

	test('the own extension id works in place of ~, another extension id does not', async () => {
		expect((await api(sim, 'GET', `/restapi/v1.0/account/~/extension/${SIM_DEFAULTS.extensionId}`, token)).status).toBe(200);
		expect((await api(sim, 'GET', `/restapi/v1.0/account/${SIM_DEFAULTS.accountId}/extension/~/phone-number`, token)).status).toBe(200);
		expect((await api(sim, 'GET', `/restapi/v1.0/account/~/extension/${SIM_DEFAULTS.second.extensionId}`, token)).status).toBe(404);
	});

	test('extension info carries id, number, name and whether SMS is enabled', async () => {
		const result = await api(sim, 'GET', EXT, token);
		expect(result.body).toMatchObject({ id: Number(SIM_DEFAULTS.extensionId), extensionNumber: '101', type: 'User', status: 'Enabled' });
		expect(result.body.serviceFeatures).toContainEqual({ featureName: 'SMS', enabled: true });
	});

	test('phone numbers: features, usageType filter, and paging with perPage=1', async () => {
		const all = await api(sim, 'GET', `${EXT}/phone-number`, token);
		expect(all.body.paging).toMatchObject({ page: 1, totalPages: 1, perPage: 100, totalElements: 4 });
		const senders = all.body.records.filter((r: { features: string[] }) => r.features.includes('SmsSender')).map((r: { phoneNumber: string }) => r.phoneNumber);
		expect(senders).toEqual(SIM_DEFAULTS.smsNumbers);
		expect(all.body.navigation.nextPage).toBeUndefined();

		const seen: string[] = [];
		let path: string | undefined = `${EXT}/phone-number?perPage=1`;
		while (path) {
			const page: { body: { records: Array<{ phoneNumber: string }>; navigation: { nextPage?: { uri: string } }; paging: { perPage: number } } } =
				await api(sim, 'GET', path, token);
			expect(page.body.records).toHaveLength(1);
			expect(page.body.paging.perPage).toBe(1);
			seen.push(page.body.records[0].phoneNumber);
			path = page.body.navigation.nextPage ? new URL(page.body.navigation.nextPage.uri).pathname + new URL(page.body.navigation.nextPage.uri).search : undefined;
		}
		expect(seen).toEqual(all.body.records.map((r: { phoneNumber: string }) => r.phoneNumber));

		const main = await api(sim, 'GET', `${EXT}/phone-number?usageType=MainCompanyNumber`, token);
		expect(main.body.records.map((r: { phoneNumber: string }) => r.phoneNumber)).toEqual(SIM_DEFAULTS.otherNumbers);
		expect((await api(sim, 'GET', `${EXT}/phone-number?perPage=0`, token)).body.errors[0]).toMatchObject({ errorCode: 'CMN-101', parameterName: 'perPage' });
	});

	test('a seed can give an extension many numbers', async () => {
		const numbers = Array.from({ length: 250 }, (_, i) => ({ id: String(9000 + i), phoneNumber: `+1650555${String(1000 + i)}`, usageType: 'DirectNumber', features: ['SmsSender'] }));
		const big = await start({ seed: { users: [{ extensionId: '77', extensionNumber: '777', name: 'Many Numbers', jwt: SIM_DEFAULTS.jwt, phoneNumbers: numbers }] } });
		try {
			const t = await accessToken(big);
			const page3 = await api(big, 'GET', `${EXT}/phone-number?page=3`, t);
			expect(page3.body.paging).toMatchObject({ page: 3, totalPages: 3, totalElements: 250 });
			expect(page3.body.records).toHaveLength(50);
		} finally {
			await big.close();
		}
	});
});
