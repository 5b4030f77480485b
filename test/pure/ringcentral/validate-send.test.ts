import { splitRecipients, validateSend } from '../../../nodes/RingCentral/actions/sendSms';
import { smsSegments } from '../../../lib/ringcentral';

describe('Send SMS input checks (before anything reaches RingCentral)', () => {
	it('splits recipients on commas, semicolons, new lines and arrays', () => {
		expect(splitRecipients('+16505550123, +14155550100;6505550124\n')).toEqual(['+16505550123', '+14155550100', '6505550124']);
		expect(splitRecipients(['+16505550123', ['6505550124']])).toEqual(['+16505550123', '6505550124']);
	});

	it('normalises every recipient and removes duplicates', () => {
		const result = validateSend({ from: 'auto', to: '16505550123, (650) 555-0123, +14155550100', text: 'hi', defaultCountry: 'US' });
		expect(result.recipients).toEqual(['+16505550123', '+14155550100']);
	});

	it('refuses the whole item when one recipient is invalid, naming it', () => {
		expect(() => validateSend({ from: 'auto', to: '+16505550123, 650 111 2222', text: 'hi', defaultCountry: 'US' })).toThrow(/650 111 2222/);
	});

	it('refuses empty and over-long text, counting UTF-16 units', () => {
		expect(() => validateSend({ from: 'auto', to: '+16505550123', text: '   ', defaultCountry: 'US' })).toThrow(/Text is empty/);
		expect(() => validateSend({ from: 'auto', to: '+16505550123', text: 'a'.repeat(1001), defaultCountry: 'US' })).toThrow(/1001 UTF-16/);
		// 500 emoji = 1000 units: accepted; 501 = 1002: refused.
		expect(validateSend({ from: 'auto', to: '+16505550123', text: '😀'.repeat(500), defaultCountry: 'US' }).text).toHaveLength(1000);
		expect(() => validateSend({ from: 'auto', to: '+16505550123', text: '😀'.repeat(501), defaultCountry: 'US' })).toThrow(/1002 UTF-16/);
	});

	it('normalises an explicit From and refuses a malformed one', () => {
		expect(validateSend({ from: '(650) 555-0100', to: '+16505550123', text: 'x', defaultCountry: 'US' }).from).toBe('+16505550100');
		expect(() => validateSend({ from: 'my number', to: '+16505550123', text: 'x', defaultCountry: 'US' })).toThrow(/From/);
	});
});

describe('segment estimate', () => {
	it('uses GSM-7 sizes for plain text and UCS-2 for anything else', () => {
		expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1 });
		expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', segments: 2 });
		expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1 });
		expect(smsSegments('é'.repeat(10) + 'ł')).toEqual({ encoding: 'UCS-2', segments: 1 });
		expect(smsSegments('ł'.repeat(71))).toEqual({ encoding: 'UCS-2', segments: 2 });
	});
});
