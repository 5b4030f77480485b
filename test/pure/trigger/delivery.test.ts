/** What the RingCentral Trigger accepts from the network, before anything runs. */
import { checkVerificationToken, handshakeToken, messageItem, mmsAttachments, parseEnvelope, parseNumbers, wanted } from '../../../nodes/RingCentralTrigger/delivery';

describe('handshake', () => {
	test('a Validation-Token with no event in the body is the handshake; with an event it is a delivery', () => {
		expect(handshakeToken({ 'validation-token': 'abc-123' }, {})).toBe('abc-123');
		expect(handshakeToken({ 'validation-token': 'abc-123' }, { uuid: 'u', event: '/x' })).toBeUndefined();
		expect(handshakeToken({}, {})).toBeUndefined();
	});
	test('an odd or huge token is not echoed', () => {
		expect(handshakeToken({ 'validation-token': 'a\r\nSet-Cookie: x' }, {})).toBe('invalid');
		expect(handshakeToken({ 'validation-token': 'x'.repeat(300) }, {})).toBe('invalid');
	});
});

describe('verification token', () => {
	const expected = ['s3cret-token-value'];
	test('either header name passes when it matches', () => {
		expect(checkVerificationToken({ 'verification-token': 's3cret-token-value' }, expected)).toBe('ok');
		expect(checkVerificationToken({ 'validation-token': 's3cret-token-value' }, expected)).toBe('ok');
		expect(checkVerificationToken({ 'verification-token': 'wrong', 'validation-token': 's3cret-token-value' }, expected)).toBe('ok');
	});
	test('missing, empty, wrong, a prefix, or no known token: refused', () => {
		expect(checkVerificationToken({}, expected)).toBe('missing');
		expect(checkVerificationToken({ 'verification-token': '' }, expected)).toBe('missing');
		expect(checkVerificationToken({ 'verification-token': 'wrong' }, expected)).toBe('wrong');
		expect(checkVerificationToken({ 'verification-token': 's3cret' }, expected)).toBe('wrong');
		expect(checkVerificationToken({ 'verification-token': '' }, [''])).toBe('missing');
		expect(checkVerificationToken({ 'verification-token': 'anything' }, [''])).toBe('wrong');
	});
});

describe('envelope and message', () => {
	const record = {
		id: 3100000001,
		direction: 'Inbound',
		type: 'SMS',
		subject: 'hello',
		creationTime: '2026-12-02T10:00:00.000Z',
		from: { phoneNumber: '+14155550123' },
		to: [{ phoneNumber: '+16505550100' }],
		conversation: { id: '1234567890123456789' },
		attachments: [
			{ id: 3100000001, type: 'Text', uri: 'https://x/content/3100000001', contentType: 'text/plain' },
			{ id: 7000000001, type: 'MmsAttachment', uri: 'https://x/content/7000000001', contentType: 'image/png', fileName: 'a.png', size: 10 },
		],
	};
	test('a notification needs uuid, event, subscriptionId and body', () => {
		expect(parseEnvelope({ event: '/e', subscriptionId: 's', body: {} })).toMatch(/uuid/);
		expect(parseEnvelope({ uuid: 'u', subscriptionId: 's', body: {} })).toMatch(/event/);
		expect(parseEnvelope({ uuid: 'u', event: '/e', body: {} })).toMatch(/subscriptionId/);
		expect(parseEnvelope({ uuid: 'u', event: '/e', subscriptionId: 's' })).toMatch(/body/);
		expect(parseEnvelope('x')).toMatch(/not a RingCentral notification/);
		expect(parseEnvelope({ uuid: 'u', event: '/e', subscriptionId: 's', body: record })).toMatchObject({ uuid: 'u' });
	});
	test('MMS attachments are the MmsAttachment entries only; the item carries the documented fields', () => {
		expect(mmsAttachments(record as never).map((a) => a.id)).toEqual(['7000000001']);
		expect(messageItem(record as never, 'webhook')).toMatchObject({
			from: '+14155550123',
			to: '+16505550100',
			text: 'hello',
			messageId: '3100000001',
			conversationId: '1234567890123456789',
			receivedAt: '2026-12-02T10:00:00.000Z',
			direction: 'Inbound',
			type: 'MMS',
			source: 'webhook',
		});
	});
	test('the filter: inbound only, SMS/MMS as chosen, receiving numbers', () => {
		const all = { sms: true, mms: true, receivingNumbers: [] };
		expect(wanted(record as never, all)).toBe(true);
		expect(wanted({ ...record, direction: 'Outbound' } as never, all)).toBe(false);
		expect(wanted(record as never, { ...all, mms: false })).toBe(false);
		expect(wanted({ ...record, attachments: [] } as never, { ...all, sms: false })).toBe(false);
		expect(wanted(record as never, { ...all, receivingNumbers: ['+16505550101'] })).toBe(false);
		expect(wanted(record as never, { ...all, receivingNumbers: ['+16505550100'] })).toBe(true);
	});
	test('receiving numbers are read as E.164; a bad one is named', () => {
		expect(parseNumbers('(650) 555-0100, +16505550101')).toEqual({ numbers: ['+16505550100', '+16505550101'] });
		expect(parseNumbers('+16505550100, nope').invalid).toBe('nope');
	});
});
