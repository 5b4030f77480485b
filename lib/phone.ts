/**
 * Phone-number normalisation shared by every node. RingCentral wants E.164; callers send anything from
 * `16505550123` to `%2B1 (650) 555-0123`. libphonenumber-js (full metadata) decides what is a real number:
 * no regexes, and never a "best effort" guess — a number we cannot prove valid is refused.
 */
import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';

export interface PhoneOptions {
	/** ISO 3166 alpha-2 country used when the number has no country code (e.g. `US`, `GB`). */
	defaultCountry?: string;
	/** A separately supplied country calling code (FortiAuthenticator style: `1`, `+44`, `01`, `0044`). */
	countryCallingCode?: string;
}

export type PhoneResult =
	| { ok: true; e164: string; country?: string; input: string }
	| { ok: false; reason: string; input: string };

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

/**
 * Turns what a caller sent into E.164, or explains why it cannot.
 *
 * Order of interpretation:
 * 1. `+…` or `00…` (or `%2B…`) → international.
 * 2. A separate country calling code → `+<code><national>`.
 * 3. Otherwise try the number as national for the default country; if that is not valid, try it as
 *    digits that already start with a country code (`16505550123`, `447911123456`).
 */
export function normalizePhone(raw: unknown, options: PhoneOptions = {}): PhoneResult {
	const input = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
	if (typeof input !== 'string') {
		return { ok: false, reason: 'no phone number was given', input: describeInput(raw) };
	}
	const shown = describeInput(input);
	let s = safeDecode(input).trim();
	if (s === '') return { ok: false, reason: 'no phone number was given', input: shown };
	if (s.length > MAX_INPUT_LENGTH) return { ok: false, reason: 'the phone number is too long', input: shown };
	if (/[a-z]/i.test(s.replace(/(ext\.?|extension|x)\s*\d+\s*$/i, ''))) {
		return { ok: false, reason: 'the phone number contains letters', input: shown };
	}
	if (/(ext\.?|extension|x)\s*\d+\s*$/i.test(s)) {
		return { ok: false, reason: 'an extension cannot receive SMS; give the number without "ext"', input: shown };
	}
	// A form-encoded "+" that was not percent-encoded arrives as a space: " 16505550123".
	if (/^\s/.test(input) && /^\d/.test(s) && /^ \d/.test(input)) s = `+${s}`;
	const defaultCountry = normaliseCountry(options.defaultCountry);
	const digitsOnly = s.replace(/[\s().\-\/]/g, '');
	if (!/^\+?\d+$/.test(digitsOnly)) {
		return { ok: false, reason: 'the phone number contains characters that are not digits', input: shown };
	}

	const candidates: string[] = [];
	if (digitsOnly.startsWith('+')) candidates.push(digitsOnly);
	else if (digitsOnly.startsWith('00')) candidates.push(`+${digitsOnly.slice(2)}`);
	else if (options.countryCallingCode && options.countryCallingCode.trim() !== '') {
		const cc = options.countryCallingCode.trim().replace(/^\+/, '').replace(/^0+/, '');
		if (!/^\d{1,3}$/.test(cc)) {
			return { ok: false, reason: `the country code "${describeInput(options.countryCallingCode)}" is not valid`, input: shown };
		}
		const national = digitsOnly.startsWith(cc) && digitsOnly.length > 10 ? digitsOnly.slice(cc.length) : digitsOnly;
		candidates.push(`+${cc}${national}`);
	} else {
		if (defaultCountry) candidates.push(`national:${digitsOnly}`);
		candidates.push(`+${digitsOnly}`);
	}

	for (const candidate of candidates) {
		const parsed = candidate.startsWith('national:')
			? parsePhoneNumberFromString(candidate.slice('national:'.length), defaultCountry)
			: parsePhoneNumberFromString(candidate);
		if (parsed && parsed.isValid()) {
			return { ok: true, e164: parsed.number, country: parsed.country, input: shown };
		}
	}
	const hint = defaultCountry
		? `it is not a valid number in ${defaultCountry} or with a country code`
		: 'it is not a valid international number (set a default country for national numbers)';
	return { ok: false, reason: `"${shown}" is not a phone number that can receive SMS: ${hint}`, input: shown };
}

/** `+16505550123` → `+1650•••0123`: enough to recognise, not enough to harvest. */
export function maskPhone(e164: string): string {
	if (e164.length <= 6) return '•'.repeat(e164.length);
	return `${e164.slice(0, Math.min(5, e164.length - 4))}${'•'.repeat(Math.max(0, e164.length - 9))}${e164.slice(-4)}`;
}
