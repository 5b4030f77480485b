/**
 * The abuse guard: one implementation for every node that texts a number someone else typed (SMS Gateway
 * Trigger, OTP Generate, optionally RingCentral Send). It answers three questions before anything is sent:
 * is the number's country allowed, is its type one that is refused (premium-rate and friends), and is the
 * number — or the calling address — over its send limits. A refusal says why, and nothing is sent.
 */
import { maskPhone, type PhoneReading } from '../phone';
import { countryAllowed, describeAllowed, parseAllowedCountries, type AllowedCountries } from './countries';
import { LocalRateLimiter, RedisRateLimiter, type RateLimiter, type Window } from './limits';
import { DEFAULT_REFUSED_TYPES, describeType, parseRefusedTypes, type RefusableType } from './number-types';
import { sharedRedis } from './redis';

/** Sends allowed per minute and per hour; 0 turns a window off. */
export interface LimitPair {
	perMinute: number;
	perHour: number;
}

export interface GuardPolicy {
	allowedCountries: AllowedCountries;
	refusedTypes: readonly RefusableType[];
	perDestination: LimitPair;
	/** Per calling IP address (the gateway's callers; nodes without a caller leave it off). */
	perCaller: LimitPair;
}

/** Same shape as a gateway failure, so the trigger can answer it in the caller's format. */
export interface GuardRefusal {
	status: number;
	code: 'country-not-allowed' | 'number-type-refused' | 'rate-limited' | 'guard-unavailable';
	reason: string;
	retryAfterSeconds?: number;
}

export type GuardResult = { ok: true } | { ok: false; refusal: GuardRefusal };

export const DEFAULT_PER_DESTINATION: LimitPair = { perMinute: 5, perHour: 20 };
export const DEFAULT_PER_CALLER: LimitPair = { perMinute: 60, perHour: 1000 };

const refuse = (refusal: GuardRefusal): GuardResult => ({ ok: false, refusal });

/** Options as the nodes' editor fields store them; anything unset takes the secure default. */
export interface GuardSettings {
	allowedCountries?: unknown;
	refusedTypes?: unknown;
	destinationPerMinute?: number;
	destinationPerHour?: number;
	callerPerMinute?: number;
	callerPerHour?: number;
}

function count(value: unknown, fallback: number): number {
	const n = Number(value);
	return value === undefined || value === null || value === '' || !Number.isFinite(n) || n < 0 ? fallback : Math.floor(n);
}

/** Builds a policy; throws with the field's problem (an unknown country code, an unknown number type). */
export function guardPolicy(settings: GuardSettings, defaultCountry: string, withCaller = true): GuardPolicy {
	return {
		allowedCountries: parseAllowedCountries(settings.allowedCountries, defaultCountry),
		refusedTypes: settings.refusedTypes === undefined ? [...DEFAULT_REFUSED_TYPES] : parseRefusedTypes(settings.refusedTypes),
		perDestination: {
			perMinute: count(settings.destinationPerMinute, DEFAULT_PER_DESTINATION.perMinute),
			perHour: count(settings.destinationPerHour, DEFAULT_PER_DESTINATION.perHour),
		},
		perCaller: withCaller
			? { perMinute: count(settings.callerPerMinute, DEFAULT_PER_CALLER.perMinute), perHour: count(settings.callerPerHour, DEFAULT_PER_CALLER.perHour) }
			: { perMinute: 0, perHour: 0 },
	};
}

/** Country and number type of one normalised recipient. */
export function checkNumber(reading: PhoneReading, policy: GuardPolicy): GuardResult {
	const shown = maskPhone(reading.e164);
	if (!countryAllowed(reading.country, policy.allowedCountries)) {
		return refuse({
			status: 400,
			code: 'country-not-allowed',
			reason: `${shown} is a number in ${reading.country ?? 'no single country'}, and SMS may only go to ${describeAllowed(policy.allowedCountries)} (Allowed Countries)`,
		});
	}
	if (reading.type && (policy.refusedTypes as readonly string[]).includes(reading.type)) {
		return refuse({ status: 400, code: 'number-type-refused', reason: `${shown} is a ${describeType(reading.type)} number, and those are refused` });
	}
	return { ok: true };
}

function windowsFor(subject: string, label: string, pair: LimitPair): Window[] {
	const out: Window[] = [];
	if (pair.perMinute > 0) out.push({ subject, label, limit: pair.perMinute, windowMs: 60_000 });
	if (pair.perHour > 0) out.push({ subject, label, limit: pair.perHour, windowMs: 3_600_000 });
	return out;
}

let localLimiter: RateLimiter | undefined;
const redisLimiters = new Map<string, RateLimiter>();

/** Redis-backed when the package's Redis is configured (shared by every process), else this process's own. */
export function guardLimiter(): RateLimiter {
	const shared = sharedRedis();
	if (!shared) return (localLimiter ??= new LocalRateLimiter());
	const id = `${shared.prefix}\u0000${shared.redis.options.host ?? ''}:${shared.redis.options.port ?? ''}/${shared.redis.options.db ?? 0}`;
	let limiter = redisLimiters.get(id);
	if (!limiter) redisLimiters.set(id, (limiter = new RedisRateLimiter(shared.redis, shared.prefix)));
	return limiter;
}

/** For tests: forget the process-local windows. */
export function resetGuardLimiter(): void {
	localLimiter = undefined;
	redisLimiters.clear();
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Takes one slot per destination (and one for the caller's address) in every window, or refuses with 429
 * and counts nothing. `scope` separates limits of different workflows/nodes.
 */
export async function checkLimits(
	policy: GuardPolicy,
	scope: string,
	request: { destinations: readonly string[]; callerIp?: string },
	limiter: RateLimiter = guardLimiter(),
): Promise<GuardResult> {
	const windows = [
		...request.destinations.flatMap((to) => windowsFor(`dest:${to}`, maskPhone(to), policy.perDestination)),
		...(request.callerIp ? windowsFor(`ip:${request.callerIp}`, 'this caller\'s address', policy.perCaller) : []),
	];
	if (windows.length === 0) return { ok: true };
	const taken = await limiter.take(scope, windows);
	if (taken.ok) return { ok: true };
	if ('unavailable' in taken) {
		return refuse({ status: 503, code: 'guard-unavailable', reason: 'the send limits cannot be checked (Redis is not answering); nothing was sent' });
	}
	const w = taken.window;
	const per = w.windowMs === 60_000 ? 'a minute' : 'an hour';
	return refuse({
		status: 429,
		code: 'rate-limited',
		reason: `too many SMS for ${w.label}: at most ${w.limit} ${per}; try again in ${seconds(taken.retryAfterMs)} s`,
		retryAfterSeconds: seconds(taken.retryAfterMs),
	});
}
