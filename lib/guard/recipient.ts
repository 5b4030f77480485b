/**
 * The guard for nodes that text one number someone typed (OTP Generate, RingCentral Send): normalise it
 * with the allowed countries settling two readings, refuse a country or number type the policy refuses,
 * and take a slot in the destination's send limits. One call, one answer with the reason; nothing is sent
 * on a refusal.
 */
import { normalizePhone } from '../phone';
import { checkLimits, checkNumber, type GuardPolicy } from './guard';
import type { RateLimiter } from './limits';

export type RecipientResult =
	| { ok: true; e164: string; country?: string }
	| { ok: false; code: 'invalid-phonenumber' | 'ambiguous-phonenumber' | 'country-not-allowed' | 'number-type-refused' | 'rate-limited' | 'guard-unavailable'; reason: string; retryAfterSeconds?: number };

/** Country and type only (no limit taken): for checking every recipient before any slot is used. */
export function checkRecipient(raw: unknown, policy: GuardPolicy, defaultCountry: string): RecipientResult {
	const phone = normalizePhone(raw, { defaultCountry: defaultCountry || undefined, allowedCountries: policy.allowedCountries });
	if (!phone.ok) return { ok: false, code: phone.code === 'ambiguous' ? 'ambiguous-phonenumber' : 'invalid-phonenumber', reason: phone.reason };
	const checked = checkNumber(phone, policy);
	if (!checked.ok) return { ok: false, code: checked.refusal.code as 'country-not-allowed' | 'number-type-refused', reason: checked.refusal.reason };
	return { ok: true, e164: phone.e164, country: phone.country };
}

/** Takes one slot per number in the destination limits of `scope`, or refuses (429) and counts nothing. */
export async function takeRecipientSlots(policy: GuardPolicy, scope: string, numbers: readonly string[], limiter?: RateLimiter): Promise<RecipientResult | { ok: true }> {
	const taken = await checkLimits(policy, scope, { destinations: numbers }, limiter);
	if (taken.ok) return { ok: true };
	const { code, reason, retryAfterSeconds } = taken.refusal;
	return { ok: false, code: code as 'rate-limited' | 'guard-unavailable', reason, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) };
}

/** Both: the number as E.164 with its slot taken, or why not. */
export async function guardRecipient(raw: unknown, policy: GuardPolicy, defaultCountry: string, scope: string, limiter?: RateLimiter): Promise<RecipientResult> {
	const checked = checkRecipient(raw, policy, defaultCountry);
	if (!checked.ok) return checked;
	const slots = await takeRecipientSlots(policy, scope, [checked.e164], limiter);
	return slots.ok ? checked : (slots as RecipientResult);
}
