/**
 * Phone-number normalisation shared by every node. RingCentral wants E.164; callers send anything from
 * `16505550123` to `%2B1 (650) 555-0123`. libphonenumber-js (full metadata) decides what is a real number:
 * no regexes, and never a guess. Every way the input could be read is tried; when more than one reading is
 * a valid number and they differ, the allowed countries may decide, otherwise the number is refused with
 * both readings named. A wrong guess texts a stranger (a code, a password reset) and tells the caller
 * "success", so refusing is always the better mistake.
 */
import {
	getCountries,
	getCountryCallingCode,
	isSupportedCountry,
	parsePhoneNumberFromString,
	type CountryCode,
	type NumberType,
	type PhoneNumber,
} from 'libphonenumber-js/max';

export type { NumberType };

export interface PhoneOptions {
	/** ISO 3166 alpha-2 country used when the number has no country code (e.g. `US`, `GB`). */
	defaultCountry?: string;
	/** A separately supplied country calling code (FortiAuthenticator style: `1`, `+44`, `01`, `0044`). */
	countryCallingCode?: string;
	/**
	 * Countries the caller may text (ISO codes, or `*` for any). Only used to choose between two valid
	 * readings of the same digits; whether a country is allowed at all is the abuse guard's decision.
	 */
	allowedCountries?: readonly string[] | '*';
	/**
	 * A leading space is an unencoded `+` that a query string or form body turned into a space. At the start
	 * of a value that is certain (`plus`, the default); after a list separator (`a, b`) it may also be the
	 * separator's space, so both readings are weighed (`maybePlus`).
	 */
	leadingSpace?: 'plus' | 'maybePlus';
}

export interface PhoneReading {
	e164: string;
	country?: string;
	type?: NumberType;
}

export type PhoneResult =
	| ({ ok: true; input: string } & PhoneReading)
	| { ok: false; code: 'invalid' | 'ambiguous'; reason: string; input: string; readings?: PhoneReading[] };

const MAX_INPUT_LENGTH = 64;

/** Shown to users in error messages: printable, bounded, no control characters. */
export function describeInput(raw: unknown): string {
	const s = typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : String(raw);
	const clean = s.replace(/[\u0000-\u001f\u007f]/g, '?');
	return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}

function safeDecode(s: string): string {
	if (!/%[0-9a-f]{2}/i.test(s)) return s;
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

function normaliseCountry(country?: string): CountryCode | undefined {
	if (!country) return undefined;
	const c = country.trim().toUpperCase();
	return isSupportedCountry(c) ? (c as CountryCode) : undefined;
}

/** Every calling code libphonenumber knows (`1`, `44`, `358`, …), for checking a separate country code. */
const CALLING_CODES = new Set(getCountries().map((c) => getCountryCallingCode(c) as string));

function reading(parsed: PhoneNumber | undefined): PhoneReading | undefined {
	if (!parsed || !parsed.isValid()) return undefined;
	return { e164: parsed.number, country: parsed.country, type: parsed.getType() };
}

const international = (digits: string) => reading(parsePhoneNumberFromString(`+${digits}`));
const national = (digits: string, country: CountryCode) => reading(parsePhoneNumberFromString(digits, country));

/** What a separately sent country code can mean together with the number next to it. */
function readingsWithCallingCode(digits: string, cc: string): Array<PhoneReading | undefined> {
	return [
		international(`${cc}${digits}`),
		// The number may repeat the country code (`55` + `55900185204`)…
		digits.startsWith(cc) ? international(digits) : undefined,
		// …or carry the national trunk prefix (`44` + `07911123456`).
		reading(parsePhoneNumberFromString(digits, { defaultCallingCode: cc })),
	];
}

function describeReading(r: PhoneReading): string {
	return r.country ? `${r.e164} (${r.country})` : r.e164;
}

function isAllowed(r: PhoneReading, allowed: PhoneOptions['allowedCountries']): boolean {
	if (allowed === '*') return true;
	return !!r.country && !!allowed?.some((c) => c.toUpperCase() === r.country);
}

/**
 * Turns what a caller sent into E.164, or explains why it cannot.
 *
 * Readings tried:
 * - `+…`, `%2B…` or a leading space (an unencoded `+`) → international only.
 * - `00…` → international, and national in the default country.
 * - A separate country calling code → `+<code><number>`, the number already holding the code, or the
 *   number as national in that code's country (trunk prefix).
 * - Digits only → national in the default country, and international (`16505550123`, `447911123456`).
 * One valid reading (or several that are the same number) is the answer. Several different ones: the one in
 * `allowedCountries` if exactly one is; otherwise refused with both named.
 */
export function normalizePhone(raw: unknown, options: PhoneOptions = {}): PhoneResult {
	const input = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
	const invalid = (reason: string, shown: string): PhoneResult => ({ ok: false, code: 'invalid', reason, input: shown });
	if (typeof input !== 'string') return invalid('no phone number was given', describeInput(raw));
	const shown = describeInput(input);
	const decoded = safeDecode(input);
	const s = decoded.trim();
	if (s === '') return invalid('no phone number was given', shown);
	if (s.length > MAX_INPUT_LENGTH) return invalid('the phone number is too long', shown);
	if (/[a-z]/i.test(s.replace(/(ext\.?|extension|x)\s*\d+\s*$/i, ''))) return invalid('the phone number contains letters', shown);
	if (/(ext\.?|extension|x)\s*\d+\s*$/i.test(s)) return invalid('an extension cannot receive SMS; give the number without "ext"', shown);
	const digits = s.replace(/[\s().\-\/]/g, '');
	if (!/^\+?\d+$/.test(digits)) return invalid('the phone number contains characters that are not digits', shown);

	const defaultCountry = normaliseCountry(options.defaultCountry);
	// A form-encoded "+" that was not percent-encoded arrives as a space: " 4745678901".
	const spacePlus = /^[ \t]+\d/.test(decoded);
	const candidates: Array<PhoneReading | undefined> = [];
	if (digits.startsWith('+')) candidates.push(international(digits.slice(1)));
	else if (spacePlus && options.leadingSpace !== 'maybePlus') candidates.push(international(digits));
	else {
		if (spacePlus) candidates.push(international(digits));
		const cc = (options.countryCallingCode ?? '').trim().replace(/^\+/, '').replace(/^0+/, '');
		if (digits.startsWith('00')) {
			candidates.push(international(digits.slice(2)));
			if (defaultCountry) candidates.push(national(digits, defaultCountry));
		} else if ((options.countryCallingCode ?? '').trim() !== '') {
			if (!CALLING_CODES.has(cc)) return invalid(`the country code "${describeInput(options.countryCallingCode)}" is not valid`, shown);
			candidates.push(...readingsWithCallingCode(digits, cc));
		} else {
			if (defaultCountry) candidates.push(national(digits, defaultCountry));
			candidates.push(international(digits));
		}
	}

	const readings: PhoneReading[] = [];
	for (const r of candidates) if (r && !readings.some((x) => x.e164 === r.e164)) readings.push(r);
	if (readings.length === 1) return { ok: true, input: shown, ...readings[0] };
	if (readings.length > 1) {
		const allowed = options.allowedCountries ? readings.filter((r) => isAllowed(r, options.allowedCountries)) : [];
		if (allowed.length === 1) return { ok: true, input: shown, ...allowed[0] };
		return {
			ok: false,
			code: 'ambiguous',
			input: shown,
			readings,
			reason:
				`"${shown}" can be read as ${readings.map(describeReading).join(' or ')}, and the allowed countries do not settle which; ` +
				'send the number with "+" and its country code',
		};
	}
	const hint = defaultCountry
		? `it is not a valid number in ${defaultCountry} or with a country code`
		: 'it is not a valid international number (set a default country for national numbers)';
	return invalid(`"${shown}" is not a phone number that can receive SMS: ${hint}`, shown);
}

/** `+16505550123` → `+1650•••0123`: enough to recognise, not enough to harvest. */
export function maskPhone(e164: string): string {
	if (e164.length <= 6) return '•'.repeat(e164.length);
	return `${e164.slice(0, Math.min(5, e164.length - 4))}${'•'.repeat(Math.max(0, e164.length - 9))}${e164.slice(-4)}`;
}
