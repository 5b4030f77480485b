/**
 * Property: whatever way a caller spells a real number, the gateway texts that number or refuses — never a
 * different one. Over libphonenumber's example (mobile) number for every region, each spelled as callers
 * produce it and sent through the whole pipeline as a query string (so `+` really arrives as a space):
 * `+` unencoded, `%2B`, `%20` (space), `00`, digits only, the national form (default country = the region),
 * and a separate country code (`cc` / `+cc` with the national number, `cc` with the full digits).
 *
 * The trigger's default country is US (every preset's default) and Allowed Countries is US plus the region,
 * the way an admin who expects callers from that region sets it up. Counts are printed for the report.
 */
import { getCountries, getCountryCallingCode, getExampleNumber, type CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { guardPolicy } from '../../../lib/guard';
import { callGateway } from './helpers';

interface Spelling {
	name: string;
	query: (n: { digits: string; cc: string; nsn: string; national: string }) => string;
	/** National spellings are read in the region itself. */
	defaultCountry?: 'region';
}

const SPELLINGS: Spelling[] = [
	{ name: 'plus, not encoded (arrives as a space)', query: (n) => `to=+${n.digits}` },
	{ name: '%2B', query: (n) => `to=%2B${n.digits}` },
	{ name: 'space', query: (n) => `to=%20${n.digits}` },
	{ name: '00 prefix', query: (n) => `to=00${n.digits}` },
	{ name: 'digits only', query: (n) => `to=${n.digits}` },
	{ name: 'national, default country = region', query: (n) => `to=${n.national}`, defaultCountry: 'region' },
	{ name: 'separate country code + national number', query: (n) => `country_code=${n.cc}&to=${n.nsn}` },
	{ name: 'separate +country code + national number', query: (n) => `country_code=%2B${n.cc}&to=${n.nsn}` },
	{ name: 'separate country code + full digits', query: (n) => `country_code=${n.cc}&to=${n.digits}` },
];

const regions = getCountries().filter((c) => getExampleNumber(c, examples));
const counts = { regions: regions.length, spellings: SPELLINGS.length, requests: 0, sent: 0, refused: 0, misrouted: 0 };
const refusedBy: Record<string, number> = {};
const misrouted: string[] = [];

describe('property: a number is texted as written, or refused — never another number', () => {
	it.each(SPELLINGS.map((s) => [s.name, s] as const))('%s, every region', async (_name, spelling) => {
		for (const region of regions) {
			const example = getExampleNumber(region as CountryCode, examples)!;
			const n = {
				digits: example.number.slice(1),
				cc: getCountryCallingCode(region as CountryCode),
				nsn: example.nationalNumber,
				national: example.formatNational().replace(/\D/g, ''),
			};
			const defaultCountry = spelling.defaultCountry === 'region' ? region : 'US';
			const guard = { ...guardPolicy({ allowedCountries: `US, ${region}`, refusedTypes: [] }, defaultCountry), perDestination: { perMinute: 0, perHour: 0 } };
			const { result } = await callGateway('generic', { query: `${spelling.query(n)}&text=hi` }, { defaultCountry, guard });
			counts.requests++;
			if (result.ok) {
				counts.sent++;
				const to = result.messages.map((m) => m.to);
				if (to.length !== 1 || to[0] !== example.number) {
					counts.misrouted++;
					misrouted.push(`${region} ${spelling.name}: ${example.number} → ${to.join(',')}`);
				}
			} else {
				counts.refused++;
				refusedBy[result.failure.code] = (refusedBy[result.failure.code] ?? 0) + 1;
			}
		}
		expect(misrouted).toEqual([]);
	});

	afterAll(() => {
		// Figures for the note (not assertions).
		console.log(`phone property (Allowed Countries = US + region): ${JSON.stringify(counts)} refused by code: ${JSON.stringify(refusedBy)}`);
	});

	it('the example set covers every region libphonenumber knows', () => {
		expect(regions.length).toBeGreaterThan(240);
	});
});

/**
 * The secure default, Allowed Countries = the default country (US) only, with the spellings that say the
 * number is international (`+`, space, `%2B`, `00`, separate country code): a foreign number is refused,
 * never texted as a US number that happens to share its digits.
 */
const strict = { requests: 0, sent: 0, refused: 0, misrouted: 0 };
describe('property, default Allowed Countries (US only): an international spelling is never read as a US number', () => {
	const international = SPELLINGS.filter((s) => s.name !== 'digits only' && s.defaultCountry !== 'region');
	it.each(international.map((s) => [s.name, s] as const))('%s, every region', async (_name, spelling) => {
		const wrong: string[] = [];
		for (const region of regions) {
			const example = getExampleNumber(region as CountryCode, examples)!;
			const n = { digits: example.number.slice(1), cc: getCountryCallingCode(region as CountryCode), nsn: example.nationalNumber, national: '' };
			const guard = { ...guardPolicy({ refusedTypes: [] }, 'US'), perDestination: { perMinute: 0, perHour: 0 } };
			const { result } = await callGateway('generic', { query: `${spelling.query(n)}&text=hi` }, { defaultCountry: 'US', guard });
			strict.requests++;
			if (!result.ok) strict.refused++;
			else {
				strict.sent++;
				if (result.messages[0].to !== example.number) wrong.push(`${region}: ${example.number} → ${result.messages[0].to}`);
			}
		}
		strict.misrouted += wrong.length;
		expect(wrong).toEqual([]);
	});
	afterAll(() => console.log(`phone property (Allowed Countries = US only, international spellings): ${JSON.stringify({ regions: regions.length, spellings: international.length, ...strict })}`));
});
