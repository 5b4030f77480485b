import { guardPolicy } from '../../../lib/guard';
import { callGateway } from './helpers';

/** Every number shape callers.md lists, through the whole pipeline (query string → E.164). */
describe('phone numbers as callers send them', () => {
	const valid: Array<[string, string, string, string]> = [
		// [description, query value (already URL-encoded), expected E.164, default country]
		['ManageEngine digits with country code', '16505550123', '+16505550123', ''],
		['10-digit US national number', '6505550123', '+16505550123', ''],
		['plus prefix, percent-encoded (PRTG)', '%2B16505550123', '+16505550123', ''],
		['plus prefix not encoded (arrives as a space)', '+16505550123', '+16505550123', ''],
		['double-encoded plus', '%252B16505550123', '+16505550123', ''],
		['00 international prefix', '0016505550123', '+16505550123', ''],
		['punctuation and spaces', encodeURIComponent('1 (650) 555-0123'), '+16505550123', ''],
		['dashes with plus', encodeURIComponent('+1-650-555-0123'), '+16505550123', ''],
		['UK national number with GB default', encodeURIComponent('07911 123456'), '+447911123456', 'GB'],
		['UK international with US default', encodeURIComponent('+44 7911 123456'), '+447911123456', ''],
	];
	it.each(valid)('%s', async (_name, value, e164, country) => {
		// UK mobiles in 7911 are Guernsey's in libphonenumber's metadata: allow the countries these numbers are in.
		const guard = guardPolicy({ allowedCountries: 'US, GB, GG' }, 'US');
		const { result } = await callGateway('generic', { query: `to=${value}&text=hi` }, country ? { defaultCountry: country, guard } : { guard });
		expect(result).toMatchObject({ ok: true, messages: [{ to: e164, text: 'hi' }] });
	});

	it('FortiAuthenticator: country code 01 and the national number arrive separately', async () => {
		const { result } = await callGateway('fortiAuthenticator', { query: 'country_code=01&mobile_number=6505550123&message=code%20123' });
		expect(result).toMatchObject({ ok: true, messages: [{ to: '+16505550123', text: 'code 123' }] });
	});

	it('FortiAuthenticator: country code 44 with a UK mobile', async () => {
		const guard = guardPolicy({ allowedCountries: 'US, GG' }, 'US');
		const { result } = await callGateway('fortiAuthenticator', { query: 'country_code=44&mobile_number=7911123456&message=x' }, { guard });
		expect(result).toMatchObject({ ok: true, messages: [{ to: '+447911123456' }] });
	});

	const invalid: Array<[string, string]> = [
		['exchange starting with 1 (cookbook example)', encodeURIComponent('1 (650) 111-2222')],
		['extension', encodeURIComponent('+1-650-555-0123 ext 5')],
		['letters', 'abc'],
		['national number without a default country', '6505550123'],
	];
	it.each(invalid)('refuses %s and sends nothing', async (name, value) => {
		const overrides = name.includes('without a default') ? { defaultCountry: '' } : {};
		const { result, reply } = await callGateway('generic', { query: `to=${value}&text=hi` }, overrides);
		expect(result).toMatchObject({ ok: false, failure: { status: 400, code: 'invalid-phonenumber' } });
		expect(reply.status).toBe(400);
		expect(reply.body).toContain('invalid-phonenumber');
	});

	it('a national number with a different default country is a different number', async () => {
		const { result } = await callGateway('generic', { query: 'to=07911123456&text=hi' }, { defaultCountry: 'US' });
		expect(result.ok).toBe(false);
	});
});
