import { extract, fillTemplate, lookup, parseBody, parseForm } from '../../../lib/gateway';
import { getPreset } from '../../../lib/gateway';

const fields = getPreset('generic')!.fields;
const opts = { maxRecipients: 10 };

describe('parameter extraction', () => {
	it('finds nested values by dotted path, case-insensitively', () => {
		const body = { Message: { Recipient: { Phone: '+16505550123' } }, payload: { code: '42' } };
		expect(lookup(body, 'message.recipient.phone')).toBe('+16505550123');
		expect(lookup(body, 'payload.code')).toBe('42');
		expect(lookup(body, 'payload.missing')).toBeUndefined();
		const r = extract({}, body, { ...fields, to: ['message.recipient.phone'], text: ['payload.code'] }, opts);
		expect(r).toMatchObject({ ok: true, value: { recipients: ['+16505550123'], text: '42' } });
	});

	it('merges query and body: number in the query, text in the body', () => {
		const r = extract(parseForm('to=%2B16505550123'), { text: 'from body' }, fields, opts);
		expect(r).toMatchObject({ ok: true, value: { recipients: ['+16505550123'], text: 'from body' } });
	});

	it('the same value in query and body is not a conflict', () => {
		const r = extract({ to: '+16505550123', text: 'x' }, { to: '+16505550123', text: 'x' }, fields, opts);
		expect(r.ok).toBe(true);
	});

	it('several recipients: JSON list, repeated parameter, comma list; duplicates collapse', () => {
		expect(extract({}, { to: ['+16505550123', '+16505550124'], text: 'x' }, fields, opts)).toMatchObject({ value: { recipients: ['+16505550123', '+16505550124'] } });
		expect(extract(parseForm('to=1&to=2&text=x'), {}, fields, opts)).toMatchObject({ value: { recipients: ['1', '2'] } });
		// A space after a separator is kept: it may be a "+" the form encoding turned into a space.
		expect(extract({ to: '1, 2;3', text: 'x' }, {}, fields, opts)).toMatchObject({ value: { recipients: ['1', ' 2', '3'], afterSeparator: [false, true, true] } });
		expect(extract({ to: ['1', '1'], text: 'x' }, {}, fields, opts)).toMatchObject({ value: { recipients: ['1'] } });
	});

	it('first alias that is present wins (privacyIDEA: text before otp)', () => {
		const f = getPreset('privacyIdea')!.fields;
		expect(extract({ phone: '1', text: 'T', otp: 'O' }, {}, f, opts)).toMatchObject({ value: { text: 'T' } });
		expect(extract({ phone: '1', otp: 'O' }, {}, f, opts)).toMatchObject({ value: { text: 'O' } });
	});

	it('repeated text with the same value is fine; different values are refused', () => {
		expect(extract(parseForm('to=1&text=a&text=a'), {}, fields, opts)).toMatchObject({ ok: true, value: { text: 'a' } });
		expect(extract(parseForm('to=1&text=a&text=b'), {}, fields, opts)).toMatchObject({ ok: false, failure: { code: 'repeated-parameter' } });
	});

	it('drops the query token parameter from the output parameters', () => {
		const r = extract({ to: '1', text: 'x', apiKey: 'secret' }, {}, fields, { ...opts, dropParams: ['apiKey'] });
		expect(r.ok && r.value.parameters).toEqual({ to: '1', text: 'x' });
	});

	it('text template: filled from parameters, undefined when a placeholder is missing', () => {
		expect(fillTemplate('Code {payload.code} for {to}', {}, { to: '+1', payload: { code: '9' } })).toBe('Code 9 for +1');
		expect(fillTemplate('Code {payload.code}', {}, { payload: {} })).toBeUndefined();
	});
});

describe('body parsing', () => {
	const b = (s: string) => Buffer.from(s, 'utf8');
	it('JSON, form, XML and text', () => {
		expect(parseBody(b('{"to":"+1","text":"a"}'), 'application/json; charset=UTF-8')).toMatchObject({ ok: true, kind: 'json', params: { to: '+1' } });
		expect(parseBody(b('to=%2B1&text=a+b'), 'application/x-www-form-urlencoded')).toMatchObject({ ok: true, kind: 'form', params: { to: '+1', text: 'a b' } });
		expect(parseBody(b('<?xml version="1.0"?><sms><to>0016505550123</to><text>a &amp; b</text></sms>'), 'text/xml')).toMatchObject({
			ok: true,
			kind: 'xml',
			// Leading zeros survive: XML values stay text.
			params: { to: '0016505550123' },
		});
		expect(parseBody(b('hello there'), 'text/plain')).toMatchObject({ ok: true, kind: 'text', bodyText: 'hello there' });
		expect(parseBody(b('to=1&text=x'), 'text/plain')).toMatchObject({ ok: true, kind: 'form', params: { to: '1' } });
		expect(parseBody(b('{"to":"1"}'), undefined)).toMatchObject({ ok: true, kind: 'json' });
	});

	it('decodes latin1 when the caller says so', () => {
		const r = parseBody(Buffer.from('to=1&text=caf\u00e9', 'latin1'), 'application/x-www-form-urlencoded; charset=iso-8859-1');
		expect(r).toMatchObject({ ok: true, params: { text: 'café' } });
	});

	it('does not let __proto__ through', () => {
		const r = parseBody(b('{"__proto__":{"polluted":true},"to":"1"}'), 'application/json');
		expect(r.ok && Object.keys(r.params)).toEqual(['to']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe('output parameters never carry the caller\'s secrets', () => {
	it('redacts static credentials a product adds to each request, keeping the names', () => {
		const r = extract(
			{ to: '1', text: 'x', apikey: 'k-123', user: 'me' },
			{ auth: { password: 'p-456', account: 'acme' }, access_token: 't-789' },
			fields,
			opts,
		);
		expect(r.ok && r.value.parameters).toEqual({ to: '1', text: 'x', apikey: '[redacted]', user: 'me', auth: '[redacted]', access_token: '[redacted]' });
		expect(JSON.stringify(r)).not.toMatch(/k-123|p-456|t-789/);
	});
});
