/**
 * SMS one-time codes: what OTP Generate and OTP Verify call. Holds the policy defaults from
 * otp-security.md; the store does the atomic bookkeeping, this module the cryptography.
 */
import { randomUUID } from 'node:crypto';
import { canonicalCode, generateCode, MAX_DIGITS, MIN_DIGITS } from './code';
import { OtpConfigError, type Pepper } from './crypto';
import { checkFailureRule, DEFAULT_FAILURE_RULE, failureOutcome, failureStatus, resetFailures, type FailureOutcome, type FailureStatus } from './failures';
import type { DenyReason, FailureRule, LimitReason, OtpStore } from './types';

export type ResendPolicy = 'sameCode' | 'newCode';

/** The failure fields (`failureCeiling`, `lockoutMs`, `failuresPerLockout`) are the rule of `failures.ts`. */
export interface OtpPolicy extends FailureRule {
	digits: number;
	lifetimeMs: number;
	/** Checks allowed per code (Twilio: 5). */
	maxAttempts: number;
	/** Codes sent per identifier (and per destination phone) in `sendWindowMs` (Twilio: 5 per 10 minutes). */
	maxSends: number;
	sendWindowMs: number;
	/** Minimum time between two sends to one identifier. */
	cooldownMs: number;
	resend: ResendPolicy;
}

const DEFAULT_MAX_LIFETIME_MS = 10 * 60_000;

export const DEFAULT_POLICY: OtpPolicy = {
	digits: 6,
	lifetimeMs: 10 * 60_000,
	maxAttempts: 5,
	maxSends: 5,
	sendWindowMs: 10 * 60_000,
	cooldownMs: 30_000,
	resend: 'newCode',
	...DEFAULT_FAILURE_RULE,
};

/**
 * Refuses settings that would break the bar instead of quietly clamping them; `allowLongLifetime` is the
 * explicit opt-in for lifetimes over 10 minutes.
 */
export function checkPolicy(input: Partial<OtpPolicy>, allowLongLifetime = false): OtpPolicy {
	const p: OtpPolicy = { ...DEFAULT_POLICY, ...stripUndefined(input) };
	const whole = (v: number, min: number, max: number, what: string) => {
		if (!Number.isFinite(v) || v < min || v > max || Math.floor(v) !== v) throw new OtpConfigError(`${what} must be a whole number from ${min} to ${max} (got ${v}).`);
	};
	whole(p.digits, MIN_DIGITS, MAX_DIGITS, 'Digits');
	whole(p.maxAttempts, 1, 20, 'Attempts per code');
	whole(p.maxSends, 1, 1000, 'Sends per window');
	checkFailureRule(p);
	if (!(p.lifetimeMs > 0)) throw new OtpConfigError('The code lifetime must be positive.');
	if (p.lifetimeMs > DEFAULT_MAX_LIFETIME_MS && !allowLongLifetime) {
		throw new OtpConfigError('Codes may live at most 10 minutes (NIST SP 800-63B, OWASP ASVS); turn on "Allow Lifetime Over 10 Minutes" to go beyond.');
	}
	if (p.lifetimeMs > 24 * 60 * 60_000) throw new OtpConfigError('The code lifetime may not exceed 24 hours.');
	if (!(p.sendWindowMs > 0) || !(p.cooldownMs >= 0)) throw new OtpConfigError('The send window must be positive and the cooldown not negative.');
	if (p.resend !== 'sameCode' && p.resend !== 'newCode') throw new OtpConfigError(`Unknown resend policy "${String(p.resend)}".`);
	return p;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
	return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export type GenerateOutcome =
	| {
			ok: true;
			verificationId: string;
			expiresAt: Date;
			/** The code to deliver. Treat as secret: never log it or put it in an error. */
			code: string;
			/** A further send for a running verification. */
			resend: boolean;
			/** The same code as before was re-sent. */
			sameCode: boolean;
			sendsInWindow: number;
			/** Makes this code invalid again (for a failed delivery); a no-op when the code was re-sent unchanged. */
			revoke(): Promise<void>;
	  }
	/** `retryAfterSeconds` is absent for 'ended': no waiting re-opens it, only `resetFailures`. */
	| { ok: false; limit: LimitReason; retryAfterSeconds?: number };

export type VerifyOutcome =
	| { approved: true; verificationId: string }
	| ({ approved: false; reason: DenyReason; attemptsLeft?: number } & FailureOutcome);

function refusal(limit: LimitReason, retryAfterMs: number): GenerateOutcome {
	return limit === 'ended' ? { ok: false, limit } : { ok: false, limit, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
}

export interface Subject {
	/** Normalised identifier (see `normalizeIdentifier`). */
	identifier: string;
	purpose: string;
	/** Extra context the code is bound to (e.g. "amount=10.00;payee=ACME"); must match on verify. */
	binding?: string;
}

export class OtpService {
	constructor(
		readonly store: OtpStore,
		private readonly pepper: Pepper,
	) {}

	/**
	 * `destination`: the normalised number the code will be texted to, when it is not the identifier. It
	 * gets its own send limit and cooldown, so varying identifiers cannot flood one phone; it is counted in
	 * the same atomic step as the code, and only when a code is actually issued.
	 */
	async generate(target: Subject, policyInput: Partial<OtpPolicy> = {}, allowLongLifetime = false, destination?: string): Promise<GenerateOutcome> {
		const policy = checkPolicy(policyInput, allowLongLifetime);
		const identity = this.pepper.identity(target.identifier);
		const subject = this.pepper.subject(target.identifier, target.purpose);
		const code = generateCode(policy.digits);
		const codeHash = this.pepper.codeHash(subject, code, target.binding ?? '');
		const result = await this.store.issue({
			identity,
			subject,
			codeHash,
			sealedCode: policy.resend === 'sameCode' ? this.pepper.seal(subject, code) : undefined,
			verificationId: randomUUID(),
			lifetimeMs: policy.lifetimeMs,
			maxAttempts: policy.maxAttempts,
			maxSends: policy.maxSends,
			sendWindowMs: policy.sendWindowMs,
			cooldownMs: policy.cooldownMs,
			reuseActiveCode: policy.resend === 'sameCode',
			failureCeiling: policy.failureCeiling,
			destination: destination !== undefined && destination !== target.identifier ? this.pepper.identity(destination) : undefined,
		});
		if (!result.ok) return refusal(result.limit, result.retryAfterMs);

		let delivered = code;
		let sameCode = false;
		if (result.reusedSealedCode) {
			const previous = this.pepper.unseal(subject, result.reusedSealedCode);
			// Unreadable only if the pepper changed; the stored hash then cannot match anything typed either.
			if (previous === undefined) throw new OtpConfigError('The running code could not be re-sent (was the pepper changed?). Try again once it expires.');
			delivered = previous;
			sameCode = true;
		}
		return {
			ok: true,
			verificationId: result.verificationId,
			expiresAt: new Date(result.expiresAt),
			code: delivered,
			resend: result.resend,
			sameCode,
			sendsInWindow: result.sendsInWindow,
			revoke: async () => {
				if (!sameCode) await this.store.revoke(identity, subject, codeHash);
			},
		};
	}

	/**
	 * Never throws for anything a caller typed: malformed input is a denial like any other and counts no
	 * failure. Store errors (Redis down) do throw — failing closed.
	 */
	async verify(target: Subject, rawCode: unknown, ruleInput: Partial<FailureRule> & { digits?: number } = {}): Promise<VerifyOutcome> {
		const rule = checkFailureRule(ruleInput);
		const code = canonicalCode(rawCode, ruleInput.digits);
		if (code === undefined) return { approved: false, reason: 'malformed' };
		const subject = this.pepper.subject(target.identifier, target.purpose);
		const result = await this.store.check({
			identity: this.pepper.identity(target.identifier),
			subject,
			codeHash: this.pepper.codeHash(subject, code, target.binding ?? ''),
			...rule,
		});
		if (result.approved) return result;
		const { lockedUntil, ended, ...denial } = result;
		return { ...denial, ...failureOutcome({ lockedUntil, ended }) };
	}

	/** For an administrator: the identifier's failure count, running lockout and whether verification ended. */
	failureStatus(identifier: string, rule: Partial<FailureRule> = {}): Promise<FailureStatus> {
		return failureStatus(this.store, this.pepper, identifier, rule);
	}

	/** The administrator reset (SMS codes and TOTP share the count): re-opens verification for the identifier. */
	resetFailures(identifier: string): Promise<boolean> {
		return resetFailures(this.store, this.pepper, identifier);
	}
}

/** `Your code is {code}. It expires in {minutes} minutes.` → the SMS text. */
export function renderMessage(template: string, values: { code: string; minutes: number; purpose?: string }): string {
	if (!template.includes('{code}')) throw new OtpConfigError('The message template must contain {code}.');
	return template
		.replace(/\{code\}/g, () => values.code)
		.replace(/\{minutes\}/g, () => String(values.minutes))
		.replace(/\{purpose\}/g, () => values.purpose ?? '');
}

export const DEFAULT_TEMPLATE = 'Your code is {code}. It expires in {minutes} minutes.';
