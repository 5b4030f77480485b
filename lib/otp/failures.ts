/**
 * The rate-limiting rule of NIST SP 800-63B rev 4 §3.2.2, shared by SMS codes and TOTP (see
 * docs/otp-rate-limiting.md): consecutive failed verifications per identifier are counted without
 * expiry and reset only by a success or an administrator; every `failuresPerLockout` failures start a
 * lockout that doubles each time; at `failureCeiling` verification ends for the identifier.
 *
 * One counter per identifier for both routes: NIST limits the failures *on an account*, so an attacker
 * who alternates SMS codes and TOTP codes gets one budget, not two, and enrolling a new TOTP secret
 * (which changes the TOTP record) does not reset it.
 */
import { OtpConfigError, type Pepper } from './crypto';
import type { FailureRule, FailureSignal, OtpStore } from './types';

/** NIST's absolute ceiling on consecutive failures. */
export const MAX_FAILURE_CEILING = 100;
/** No single lockout lasts longer than this, however often it doubled. */
export const MAX_LOCKOUT_MS = 24 * 60 * 60_000;

/**
 * 20 failures: a 6-digit guesser's lifetime chance per identifier is 20 in a million (60 in a million for
 * TOTP with a ±1 step window), a fifth of what NIST's 100 allows, while a person who mistypes needs four
 * codes in a row without one success to get there. First lockout after 5 failures (one code's default
 * attempt budget) for 5 minutes, then 10 and 20 minutes, then the end.
 */
export const DEFAULT_FAILURE_RULE: FailureRule = {
	failureCeiling: 20,
	lockoutMs: 5 * 60_000,
	failuresPerLockout: 5,
};

/** Fills in the defaults and refuses values outside the rule (never clamps quietly). */
export function checkFailureRule(input: Partial<FailureRule> = {}): FailureRule {
	const rule: FailureRule = {
		failureCeiling: input.failureCeiling ?? DEFAULT_FAILURE_RULE.failureCeiling,
		lockoutMs: input.lockoutMs ?? DEFAULT_FAILURE_RULE.lockoutMs,
		failuresPerLockout: input.failuresPerLockout ?? DEFAULT_FAILURE_RULE.failuresPerLockout,
	};
	const whole = (v: number, min: number, max: number, what: string) => {
		if (!Number.isInteger(v) || v < min || v > max) throw new OtpConfigError(`${what} must be a whole number from ${min} to ${max} (got ${v}).`);
	};
	whole(rule.failureCeiling, 1, MAX_FAILURE_CEILING, 'Failure ceiling');
	whole(rule.failuresPerLockout, 1, MAX_FAILURE_CEILING, 'Failures per lockout');
	if (!Number.isFinite(rule.lockoutMs) || rule.lockoutMs < 1000 || rule.lockoutMs > MAX_LOCKOUT_MS) {
		throw new OtpConfigError('The lockout must be from 1 second to 24 hours.');
	}
	return rule;
}

/**
 * The lockout (ms) that starts when the count reaches `failures`; 0 when none does. Lockout n (after
 * n × failuresPerLockout failures) lasts lockoutMs × 2^(n−1). The Lua scripts compute the same.
 */
export function lockoutAfter(failures: number, rule: FailureRule): number {
	if (failures <= 0 || failures >= rule.failureCeiling || failures % rule.failuresPerLockout !== 0) return 0;
	const n = failures / rule.failuresPerLockout;
	return Math.min(MAX_LOCKOUT_MS, rule.lockoutMs * 2 ** (n - 1));
}

/** Where a denial leaves the identifier: a lockout running until `lockedUntil`, or verification `ended`. */
export interface FailureOutcome {
	lockedUntil?: Date;
	ended?: true;
}

/** The store's signal (ms) as outcome fields. */
export function failureOutcome(signal: FailureSignal): FailureOutcome {
	if (signal.ended) return { ended: true };
	return signal.lockedUntil ? { lockedUntil: new Date(signal.lockedUntil) } : {};
}

/** What an administrator sees for one identifier. */
export interface FailureStatus {
	/** Consecutive failed verifications (SMS codes and TOTP together) since the last success or reset. */
	failures: number;
	/** Set while a lockout runs. */
	lockedUntil: Date | null;
	/** The ceiling is reached: only `resetFailures` (or a success elsewhere that calls it) re-opens verification. */
	ended: boolean;
	/** Failures left before the end. */
	failuresLeft: number;
}

/** `identifier`: normalised (see `normalizeIdentifier`), as given to generate and verify. */
export async function failureStatus(store: OtpStore, pepper: Pepper, identifier: string, ruleInput: Partial<FailureRule> = {}): Promise<FailureStatus> {
	const rule = checkFailureRule(ruleInput);
	const state = await store.failures(pepper.identity(identifier));
	return {
		failures: state.failures,
		lockedUntil: state.lockedUntil > 0 ? new Date(state.lockedUntil) : null,
		ended: state.failures >= rule.failureCeiling,
		failuresLeft: Math.max(0, rule.failureCeiling - state.failures),
	};
}

/**
 * The administrator path: forgets the failure count and any lockout of an identifier (for SMS codes and
 * TOTP), e.g. after support checked the person's identity or they signed in another way. Running codes
 * and send limits are left as they are. True when there was something to forget.
 */
export async function resetFailures(store: OtpStore, pepper: Pepper, identifier: string): Promise<boolean> {
	return store.resetFailures(pepper.identity(identifier));
}
