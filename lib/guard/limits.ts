/**
 * Sliding-window send limits (per destination number, per calling IP). One request takes a slot in every
 * window it touches, or in none: when any window is full the request is refused and nothing is counted, so
 * a refused request never uses up a legitimate one's budget. With Redis the windows are shared by every
 * n8n process (queue mode, several mains); otherwise they live in this process.
 */
import { createHash, randomBytes } from 'node:crypto';
import type Redis from 'ioredis';

export interface Window {
	/** What is limited, e.g. `dest:+16505550123` (hashed before it is stored). */
	subject: string;
	limit: number;
	windowMs: number;
	/** For the refusal: "this number", "this caller's address". */
	label: string;
}

export type TakeResult = { ok: true } | { ok: false; window: Window; retryAfterMs: number } | { ok: false; unavailable: true };

export interface RateLimiter {
	take(scope: string, windows: readonly Window[]): Promise<TakeResult>;
}

/** Stored keys never hold a phone number or an address: a keyed hash of scope, subject and window. */
export function windowKey(scope: string, w: Window): string {
	return createHash('sha256').update(`${scope}\n${w.subject}\n${w.windowMs}`, 'utf8').digest('hex').slice(0, 40);
}

const MAX_LOCAL_KEYS = 50_000;

export class LocalRateLimiter implements RateLimiter {
	private readonly logs = new Map<string, number[]>();

	constructor(private readonly now: () => number = Date.now) {}

	async take(scope: string, windows: readonly Window[]): Promise<TakeResult> {
		const now = this.now();
		const entries = windows.map((w) => {
			const key = windowKey(scope, w);
			const log = (this.logs.get(key) ?? []).filter((t) => t > now - w.windowMs);
			return { w, key, log };
		});
		for (const { w, log } of entries) {
			if (log.length >= w.limit) return { ok: false, window: w, retryAfterMs: Math.max(1, log[log.length - w.limit] + w.windowMs - now) };
		}
		for (const { key, log } of entries) {
			log.push(now);
			this.logs.delete(key);
			this.logs.set(key, log);
		}
		while (this.logs.size > MAX_LOCAL_KEYS) this.logs.delete(this.logs.keys().next().value as string);
		return { ok: true };
	}
}

// KEYS: one sorted set per window. ARGV[1]: member id; then limit, window ms for each key.
// Redis's clock (TIME), not the callers': processes on different hosts must agree on the window.
// Returns {0, 0} when every window took a slot, else {index of the full window, ms until a slot frees}.
const TAKE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[2 * i])
  local win = tonumber(ARGV[2 * i + 1])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - win)
  local n = redis.call('ZCARD', key)
  if n >= limit then
    local oldest = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
    return {i, tonumber(oldest[2]) + win - now}
  end
end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[1])
  redis.call('PEXPIRE', key, tonumber(ARGV[2 * i + 1]))
end
return {0, 0}
`;

export class RedisRateLimiter implements RateLimiter {
	constructor(
		private readonly redis: Redis,
		private readonly prefix: string,
	) {}

	async take(scope: string, windows: readonly Window[]): Promise<TakeResult> {
		if (windows.length === 0) return { ok: true };
		const keys = windows.map((w) => `${this.prefix}guard:${windowKey(scope, w)}`);
		const args = [randomBytes(8).toString('hex'), ...windows.flatMap((w) => [String(w.limit), String(w.windowMs)])];
		let answer: unknown;
		try {
			answer = await this.redis.eval(TAKE_SCRIPT, keys.length, ...keys, ...args);
		} catch {
			// Fail closed: without the shared count nobody can say the limit holds.
			return { ok: false, unavailable: true };
		}
		const [index, wait] = Array.isArray(answer) ? answer.map(Number) : [NaN, NaN];
		if (index === 0) return { ok: true };
		const window = windows[index - 1];
		if (!window) return { ok: false, unavailable: true };
		return { ok: false, window, retryAfterMs: Math.max(1, wait) };
	}
}
