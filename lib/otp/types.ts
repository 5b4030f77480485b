/**
 * The contract between the OTP logic and its stores. A store only ever sees keyed hashes: `identity` is
 * HMAC(pepper, identifier) — send limits, cooldown and the failure count live there, shared by every
 * purpose — `subject` is HMAC(pepper, identifier + purpose) for the code itself, and `codeHash` is
 * HMAC(pepper, subject + code). A store dump holds no phone number and nothing that can be brute-forced
 * without the pepper.
 */

/** Why a generate request was refused. Every one of them is a "try again later" for the end user. */
export type LimitReason =
	/** The previous code for this identifier was sent less than the cooldown ago. */
	| 'cooldown'
	/** The identifier already received the maximum number of codes in the send window. */
	| 'send_limit'
	/** The current code used up its check attempts; a new one is only issued once it expires. */
	| 'attempts_exhausted'
	/** The identifier reached the consecutive-failure ceiling and is locked out for a while. */
	| 'locked';

export interface IssueParams {
	identity: string;
	subject: string;
	codeHash: string;
	/** The code encrypted with a pepper-derived key; only given when the resend policy re-sends the same code. */
	sealedCode?: string;
	/** Used when a new verification starts; a resend keeps the running verification's id. */
	verificationId: string;
	lifetimeMs: number;
	maxAttempts: number;
	maxSends: number;
	sendWindowMs: number;
	cooldownMs: number;
	/** Same code while valid (needs `sealedCode`) instead of a new code that replaces the old one. */
	reuseActiveCode: boolean;
	failureCeiling: number;
	lockoutMs: number;
}

export type IssueResult =
	| {
			ok: true;
			verificationId: string;
			expiresAt: number;
			/** True when this is a further send for a verification that was already running. */
			resend: boolean;
			/** Set when the running code is re-sent unchanged: the sealed code to decrypt and send again. */
			reusedSealedCode?: string;
			sendsInWindow: number;
	  }
	| { ok: false; limit: LimitReason; retryAfterMs: number };

/** A send to a destination that is not the identifier itself (OTP Generate's "Send To"). */
export interface SendReservation {
	/** HMAC of the destination phone number, the same form as an identity, so limits are shared. */
	identity: string;
	maxSends: number;
	sendWindowMs: number;
	cooldownMs: number;
}

export type ReserveResult = { ok: true } | { ok: false; limit: 'cooldown' | 'send_limit'; retryAfterMs: number };

export interface CheckParams {
	identity: string;
	subject: string;
	codeHash: string;
	failureCeiling: number;
	lockoutMs: number;
}

/** Precise reasons, for the workflow author only (never shown to the person who typed the code). */
export type DenyReason = 'wrong' | 'expired' | 'unknown' | 'too_many_attempts' | 'malformed';

export type CheckResult =
	| { approved: true; verificationId: string }
	| { approved: false; reason: Exclude<DenyReason, 'malformed'>; attemptsLeft?: number };

export interface TotpCheckParams {
	subject: string;
	/** The time step the token matched, or -1 when it matched none in the window. */
	step: number;
	failureCeiling: number;
	lockoutMs: number;
	/** How long the last accepted step must be remembered (a few periods). */
	rememberMs: number;
}

export type TotpDenyReason = 'wrong' | 'replayed' | 'too_many_attempts';

export type TotpCheckResult = { approved: true; step: number } | { approved: false; reason: TotpDenyReason };

/**
 * Every method is one atomic step: concurrent calls for the same subject (in one process or, for Redis,
 * across n8n processes) can never both consume a code or both pass a limit.
 */
export interface OtpStore {
	readonly kind: 'memory' | 'redis';
	issue(params: IssueParams): Promise<IssueResult>;
	check(params: CheckParams): Promise<CheckResult>;
	/** Counts one send to a destination against its own limit and cooldown (SMS bombing, toll fraud). */
	reserveSend(params: SendReservation): Promise<ReserveResult>;
	/** Invalidates the code with this hash (if it is still the current one), e.g. after a failed SMS send. */
	revoke(identity: string, subject: string, codeHash: string): Promise<boolean>;
	checkTotp(params: TotpCheckParams): Promise<TotpCheckResult>;
	close(): Promise<void>;
}

/** Records stay this long after a code expired so a late attempt is reported as "expired", not "unknown". */
export const EXPIRED_GRACE_MS = 15 * 60_000;
