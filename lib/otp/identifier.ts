/**
 * One person, one identifier: `6505550123`, `(650) 555-0123` and `+16505550123` must share the same
 * codes, counters and limits, or an attacker gets a fresh budget per spelling.
 */
import { maskPhone, normalizePhone } from '../phone';

export type IdentifierType = 'auto' | 'phone' | 'text';

export interface IdentifierOptions {
	type?: IdentifierType;
	/** ISO country for phone numbers written without a country code. */
	defaultCountry?: string;
}

export type IdentifierResult =
	| { ok: true; kind: 'phone' | 'text'; value: string; masked: string }
	| { ok: false; reason: string };

const MAX_IDENTIFIER_LENGTH = 256;
const PHONE_LIKE = /^[+\d\s().\-\/]{7,32}$/;

export function maskText(value: string): string {
	const at = value.indexOf('@');
	if (at > 0) return `${value[0]}•••${value.slice(at)}`;
	if (value.length <= 4) return '•'.repeat(value.length);
	if (value.length <= 8) return `${value[0]}•••${value.slice(-1)}`;
	return `${value.slice(0, 2)}•••${value.slice(-2)}`;
}

export function normalizeIdentifier(raw: unknown, options: IdentifierOptions = {}): IdentifierResult {
	const type = options.type ?? 'auto';
	if (typeof raw === 'number' && Number.isSafeInteger(raw)) raw = String(raw);
	if (typeof raw !== 'string') return { ok: false, reason: 'the identifier is missing or not text' };
	if (raw.length > MAX_IDENTIFIER_LENGTH * 4) return { ok: false, reason: `the identifier is longer than ${MAX_IDENTIFIER_LENGTH} characters` };
	const trimmed = raw.trim();
	if (trimmed === '') return { ok: false, reason: 'the identifier is empty' };

	const digitCount = trimmed.replace(/\D/g, '').length;
	const looksLikePhone = PHONE_LIKE.test(trimmed) && digitCount >= 7;
	if (type === 'phone' || (type === 'auto' && looksLikePhone)) {
		const phone = normalizePhone(trimmed, { defaultCountry: options.defaultCountry || undefined });
		if (phone.ok) return { ok: true, kind: 'phone', value: phone.e164, masked: maskPhone(phone.e164) };
		if (type === 'phone') return { ok: false, reason: phone.reason };
		// An account number that is not a valid phone number stays what it is.
	}

	// Unicode-normalise and case-fold so "Alice", "alice" and "ａｌｉｃｅ" are one person.
	const text = trimmed.normalize('NFKC').toLowerCase();
	if (text.length > MAX_IDENTIFIER_LENGTH) return { ok: false, reason: `the identifier is longer than ${MAX_IDENTIFIER_LENGTH} characters` };
	if (/[\u0000-\u001f\u007f]/.test(text)) return { ok: false, reason: 'the identifier contains control characters' };
	return { ok: true, kind: 'text', value: text, masked: maskText(text) };
}

/** Purposes are labels chosen by the workflow author ("login", "password-reset"). */
export function normalizePurpose(raw: unknown): string | undefined {
	if (raw === undefined || raw === null || raw === '') return 'default';
	if (typeof raw !== 'string') return undefined;
	const p = raw.trim().normalize('NFKC').toLowerCase();
	if (p === '') return 'default';
	return p.length <= 64 && !/[\u0000-\u001f\u007f]/.test(p) ? p : undefined;
}
