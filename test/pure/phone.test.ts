import { maskPhone, normalizePhone } from '../../lib/phone';

describe('normalizePhone: what callers send becomes E.164 or is refused', () => {
	const ok: Array<[string, string | undefined, string | undefined, string]> = [
		['16505550123', 'US', undefined, '+16505550123'], // ManageEngine: digits only, with country code
		['6505550123', 'US', undefined, '+16505550123'], // 10-digit national
		['+16505550123', undefined, undefined, '+16505550123'],
		['%2B16505550123', undefined, undefined, '+16505550123'], // PRTG encodes the plus
		['0016505550123', undefined, undefined, '+16505550123'],
		['1 (650) 555-0123', 'US', undefined, '+16505550123'],
		['+1-650-555-0123', undefined, undefined, '+16505550123'],
		['07911 123456', 'GB', undefined, '+447911123456'],
		['6505550123', undefined, '01', '+16505550123'], // FortiAuthenticator's separate country code
		['7911 123456', undefined, '44', '+447911123456'],
		[' 16505550123', undefined, undefined, '+16505550123'], // an unencoded "+" decoded as a space
	];
	it.each(ok)('%s (country %s, code %s) → %s', (input, defaultCountry, countryCallingCode, expected) => {
		const result = normalizePhone(input, { defaultCountry, countryCallingCode });
		expect(result).toMatchObject({ ok: true, e164: expected });
	});

	const refused: Array<[unknown, string | undefined]> = [
		['+1 650 111 2222', 'US'], // exchange starting with 1: not a real North American number
		['1 (650) 111-2222', 'US'],
		['abc', 'US'],
		['', 'US'],
		[undefined, 'US'],
		[{ to: 1 }, 'US'],
		['+1-650-555-0123 ext 5', 'US'],
		['12345', 'US'],
		['6505550123', undefined], // national number without a default country
		['9'.repeat(80), 'US'],
		['+16505550123\u0000', 'US'],
	];
	it.each(refused)('refuses %p (country %s) with a reason', (input, defaultCountry) => {
		const result = normalizePhone(input, { defaultCountry });
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason.length).toBeGreaterThan(5);
	});

	it('masks all but the country prefix and last four digits', () => {
		expect(maskPhone('+16505550123')).toBe('+1650•••0123');
		expect(maskPhone('+16505550123')).not.toContain('555');
	});
});
