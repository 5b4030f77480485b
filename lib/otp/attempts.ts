/**
 * Brute-force protection for password logins (the Directory Login node) on the OTP store's failure
 * counting (failures.ts, docs/otp-rate-limiting.md), per username and per source IP address.
 *
 * - **Username**: the same counter as SMS codes and TOTP for that identifier (NIST counts failures per
 *   account, whatever the route). An attempt is *reserved* before the directory is asked: one failure is
 *   counted atomically first, so fifty parallel guesses cannot all slip in before the first one is
 *   recorded, and a shut (locked or ended) identifier is refused without asking the directory. A success
 *   forgets the count (`loginSucceeded`); when a second factor follows, only its success does.
 * - **Source IP**: its own counter (IPv6 counted per /64, the block one subscriber usually gets), read
 *   before the attempt and counted after a wrong password. It is never reset by a success, so one valid
 *   account does not let an address go on guessing others; it has a higher ceiling than a username
 *   because offices share addresses.
 */
import { isIP } from 'node:net';
import type { Pepper } from './crypto';
import { checkFailureRule, DEFAULT_FAILURE_RULE } from './failures';
import type { FailureRule, OtpStore } from './types';

/** A shared address: 10 failures per lockout (1 minute, doubling), the end at NIST's ceiling of 100. */
export const DEFAULT_SOURCE_RULE: FailureRule = { failureCeiling: 100, failuresPerLockout: 10, lockoutMs: 60_000 };

export interface LoginRules {
	user?: Partial<FailureRule>;
	source?: Partial<FailureRule>;
}

export interface LoginSubject {
	/** Normalised username (see `normalizeIdentifier`, type text). */
	identifier: string;
	/** The caller's address as the webhook saw it; none = not counted per address. */
	sourceIp?: string;
}

export type LoginReservation =
	| { allowed: true }
	/** `which` says whose counter is shut; `lockedUntil` while a lockout runs, `ended` at the ceiling. */
	| { allowed: false; which: 'user' | 'source'; lockedUntil?: Date; ended?: true };

/** `::ffff:10.0.0.1` → `10.0.0.1`; an IPv6 address → its /64 (`2001:db8:1:2::/64`); anything else as given. */
export function sourceKey(ip: string): string {
	const raw = ip.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(raw);
	if (mapped) return mapped[1];
	if (isIP(raw) !== 6) return raw;
	const [head, tail = ''] = raw.split('::');
	const left = head ? head.split(':') : [];
	const right = raw.includes('::') && tail ? tail.split(':') : [];
	const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
	return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

const sourceIdentity = (pepper: Pepper, ip: string) => pepper.mac('n8n-otp/source-ip/v1', sourceKey(ip));

function rulesOf(rules: LoginRules): { user: FailureRule; source: FailureRule } {
	return { user: checkFailureRule({ ...DEFAULT_FAILURE_RULE, ...strip(rules.user) }), source: checkFailureRule({ ...DEFAULT_SOURCE_RULE, ...strip(rules.source) }) };
}

const strip = (o: Partial<FailureRule> | undefined) => Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<FailureRule>;

/** Before the directory is asked: refuses a shut address or username, otherwise counts one failure for the username. */
export async function reserveLoginAttempt(store: OtpStore, pepper: Pepper, subject: LoginSubject, rules: LoginRules = {}): Promise<LoginReservation> {
	const { user, source } = rulesOf(rules);
	if (subject.sourceIp) {
		const state = await store.failures(sourceIdentity(pepper, subject.sourceIp));
		if (state.failures >= source.failureCeiling) return { allowed: false, which: 'source', ended: true };
		if (state.lockedUntil > 0) return { allowed: false, which: 'source', lockedUntil: new Date(state.lockedUntil) };
	}
	const counted = await store.countFailure({ identity: pepper.identity(subject.identifier), ...user });
	if (counted.counted) return { allowed: true };
	return { allowed: false, which: 'user', ...(counted.ended ? { ended: true as const } : {}), ...(counted.lockedUntil ? { lockedUntil: new Date(counted.lockedUntil) } : {}) };
}

/** After a denial by the directory: the address's counter (the username's was counted by the reservation). */
export async function loginFailed(store: OtpStore, pepper: Pepper, subject: LoginSubject, rules: LoginRules = {}): Promise<void> {
	if (!subject.sourceIp) return;
	await store.countFailure({ identity: sourceIdentity(pepper, subject.sourceIp), ...rulesOf(rules).source });
}

/** The password (and any second factor) was right: the username's count is forgotten. */
export async function loginSucceeded(store: OtpStore, pepper: Pepper, identifier: string): Promise<void> {
	await store.resetFailures(pepper.identity(identifier));
}

/** The administrator path for an address (the username's is `resetFailures`). */
export async function resetSourceFailures(store: OtpStore, pepper: Pepper, ip: string): Promise<boolean> {
	return store.resetFailures(sourceIdentity(pepper, ip));
}
