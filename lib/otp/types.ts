/**
 * The contract between the OTP logic and its stores. A store only ever sees keyed hashes: `identity` is
 * HMAC(pepper, identifier) — send limits, cooldown and the failure count hang off it, shared by every
 * purpose and by TOTP — `subject` is HMAC(pepper, identifier + purpose) for the code itself, and `codeHash` is
 * HMAC(pepper, subject + code). A store dump holds no phone number and nothing that can be brute-forced
 * without the pepper.
 */

/** Why a generate request was refused. Every one of them is a "try again later" for the end user. */
export type LimitReason =
	/** The previous code for this identifier was sent less than the cooldown ago. */
	| 'cooldown'
	/** The identifier (or the destination phone) already received the maximum number of codes in the send window. */
	| 'send_limit'
	/** The current code used up its check attempts; a new one is only issued once it expires. */
	| 'attempts_exhausted'
	/** A lockout after repeated failures is running for the identifier. */
	| 'locked'
	/** The identifier reached the failure ceiling: nothing is sent or verified until an administrator resets it. */
	| 'ended';

/**
 * The NIST SP 800-63B §3.2.2 rule for one call (see `failures.ts`): consecutive failures per identifier,
 * never expiring, reset only by a success or an administrator.
 */
export interface FailureRule {
	/** Consecutive failures at which verification ends for the identifier (at most 100). */
	failureCeiling: number;
	/** The first lockout (ms); every later one is twice the one before, up to 24 hours. */
	lockoutMs: number;
	/** A lockout starts each time the count reaches a multiple of this. */
	failuresPerLockout: number;
}

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
	/**
	 * Identity (HMAC) of the phone the code is texted to, when it is not the identifier (OTP Generate's
	 * "Send To"). It has its own send limit and cooldown with the same numbers, so new usernames cannot
	 * flood one phone; it is only counted when the code is actually issued.
	 */
	destination?: string;
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
	/** `retryAfterMs` is 0 for 'ended' (no time ends it). */
	| { ok: false; limit: LimitReason; retryAfterMs: number };

/** Where the failure count stands after a denial: a lockout started or running, or the end reached. */
export interface FailureSignal {
	lockedUntil?: number;
	ended?: true;
}

export interface CheckParams extends FailureRule {
	identity: string;
	subject: string;
	codeHash: string;
}

/** Precise reasons, for the workflow author only (never shown to the person who typed the code). */
export type DenyReason = 'wrong' | 'expired' | 'unknown' | 'too_many_attempts' | 'malformed';

export type CheckResult =
	| { approved: true; verificationId: string }
	| ({ approved: false; reason: Exclude<DenyReason, 'malformed'>; attemptsLeft?: number } & FailureSignal);

export interface TotpCheckParams extends FailureRule {
	/** The failure count is the identifier's, shared with SMS codes. */
	identity: string;
	/** Identifier + secret: the record of the last accepted step. */
	subject: string;
	/** The time step the token matched, or -1 when it matched none in the window. */
	step: number;
	/** How long the last accepted step must be remembered (a few periods). */
	rememberMs: number;
}

export type TotpDenyReason = 'wrong' | 'replayed' | 'too_many_attempts';

export type TotpCheckResult = { approved: true; step: number } | ({ approved: false; reason: TotpDenyReason } & FailureSignal);

/** The failure record of an identity as a store holds it. */
export interface FailureState {
	failures: number;
	/** When the running lockout ends (ms, the store's clock); 0 when none runs. */
	lockedUntil: number;
}

/** A failure counted outside a code check (a wrong directory password): `counted` is false when verification was already shut. */
export type CountFailureResult = { counted: boolean } & FailureSignal;

/**
 * The TOTP secret enrolled for an identity, sealed (AES-256-GCM under a pepper-derived key, see
 * enrolment.ts): `active` is what logins are checked against, `pending` a new secret waiting for its
 * first code. Either may be missing.
 */
export interface EnrolmentRecord {
	active?: string;
	pending?: string;
}

/**
 * Every method is one atomic step: concurrent calls for the same subject (in one process or, for Redis,
 * across n8n processes) can never both consume a code or both pass a limit.
 */
export interface OtpStore {
	readonly kind: 'memory' | 'redis';
	issue(params: IssueParams): Promise<IssueResult>;
	check(params: CheckParams): Promise<CheckResult>;
	/** Invalidates the code with this hash (if it is still the current one), e.g. after a failed SMS send. */
	revoke(identity: string, subject: string, codeHash: string): Promise<boolean>;
	checkTotp(params: TotpCheckParams): Promise<TotpCheckResult>;
	/** The failure count and running lockout of an identity (for an administrator). */
	failures(identity: string): Promise<FailureState>;
	/** Forgets the failure count and lockout of an identity; true when there was one. */
	resetFailures(identity: string): Promise<boolean>;
	/** Counts one failure under the rule, unless the identity is ended or locked right now (then nothing is counted). */
	countFailure(params: FailureRule & { identity: string }): Promise<CountFailureResult>;
	/** The sealed TOTP secrets enrolled for an identity (never expire; removed only by `removeEnrolment`). */
	enrolment(identity: string): Promise<EnrolmentRecord>;
	/** Stores a new pending secret, replacing an older pending one; the active one stays until activation. */
	setPendingEnrolment(identity: string, sealed: string): Promise<void>;
	/** Makes the pending secret active if it is still `sealed` (compare-and-set); true when it did. */
	activateEnrolment(identity: string, sealed: string): Promise<boolean>;
	/** Forgets both secrets of an identity; true when there was one. */
	removeEnrolment(identity: string): Promise<boolean>;
	close(): Promise<void>;
}

/** Records stay this long after a code expired so a late attempt is reported as "expired", not "unknown". */
export const EXPIRED_GRACE_MS = 15 * 60_000;
