/** Generating codes and checking what a person typed, before anything touches a store. */
import { randomInt } from 'node:crypto';

export const MIN_DIGITS = 4;
export const MAX_DIGITS = 10;

/**
 * A uniformly random code of `digits` decimal digits. `crypto.randomInt` draws from the CSPRNG with
 * rejection sampling, so there is no modulo bias; one draw per digit keeps every range far below its
 * 2^48 limit.
 */
export function generateCode(digits: number): string {
	if (!Number.isInteger(digits) || digits < MIN_DIGITS || digits > MAX_DIGITS) {
		throw new RangeError(`Digits must be a whole number from ${MIN_DIGITS} to ${MAX_DIGITS}.`);
	}
	let code = '';
	for (let i = 0; i < digits; i++) code += String(randomInt(0, 10));
	return code;
}

/** Longest input looked at: anything longer is refused without being copied or normalised. */
const MAX_RAW_LENGTH = 32;

/**
 * The code as typed → its canonical digits, or undefined when it cannot be a code. Spaces and dashes
 * people type ("123 456", "123-456") are dropped; anything else that is not an ASCII digit — letters,
 * `١٢٣` (Arabic-Indic digits), `12345é`, a number type, an object, a megabyte of text — is malformed.
 * Never throws.
 */
export function canonicalCode(raw: unknown, digits?: number): string | undefined {
	let s: string;
	if (typeof raw === 'string') s = raw;
	else if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) {
		// A code that went through a JSON number lost its leading zeros; without the expected length it is ambiguous.
		if (digits === undefined) return undefined;
		s = String(raw).padStart(digits, '0');
	} else return undefined;
	if (s.length > MAX_RAW_LENGTH) return undefined;
	const compact = s.replace(/[\s-]/g, '');
	const pattern = digits === undefined ? /^[0-9]{4,10}$/ : new RegExp(`^[0-9]{${digits}}$`);
	return pattern.test(compact) ? compact : undefined;
}
