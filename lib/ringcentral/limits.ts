/**
 * RingCentral's rate-limit facts (docs/ringcentral-limits.md): the documented starting budgets, what the
 * `X-Rate-Limit-*` and `Retry-After` headers say, and the safety margin we keep on top of a stated window.
 */

export type RateLimitGroup = 'light' | 'medium' | 'heavy' | 'auth';

export interface Budget {
	/** Requests allowed per window. */
	limit: number;
	windowMs: number;
}

/** Documented defaults per user per app, used until the platform states its own numbers. */
export const DOCUMENTED_BUDGETS: Record<RateLimitGroup, Budget> = {
	light: { limit: 50, windowMs: 60_000 },
	medium: { limit: 40, windowMs: 60_000 },
	heavy: { limit: 10, windowMs: 60_000 },
	auth: { limit: 5, windowMs: 60_000 },
};

/** A 429 without Retry-After: RingCentral asks clients to wait at least this long. */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 30_000;

/**
 * Kept between a slot's use and its reuse, on top of the stated window. A slot is dated when its answer
 * arrives (never before RingCentral counted it), so the margin only absorbs timer and clock granularity.
 */
export function safetyMarginMs(windowMs: number): number {
	return Math.max(200, Math.round(windowMs * 0.005));
}

/** Starting budgets: the documented ones, or what the operator set for a platform that states none. */
export function startingBudgets(env: NodeJS.ProcessEnv = process.env): Record<string, Budget> {
	const read = (name: string, fallback: number) => {
		const value = Number(env[name]);
		return Number.isFinite(value) && value > 0 ? value : fallback;
	};
	const windowMs = read('N8N_RINGCENTRAL_RATE_WINDOW_MS', 60_000);
	return {
		light: { limit: read('N8N_RINGCENTRAL_LIGHT_PER_MINUTE', DOCUMENTED_BUDGETS.light.limit), windowMs },
		medium: { limit: read('N8N_RINGCENTRAL_SMS_PER_MINUTE', DOCUMENTED_BUDGETS.medium.limit), windowMs },
		heavy: { limit: read('N8N_RINGCENTRAL_HEAVY_PER_MINUTE', DOCUMENTED_BUDGETS.heavy.limit), windowMs },
		auth: { ...DOCUMENTED_BUDGETS.auth },
	};
}

/** What one response says about its group's budget. */
export interface StatedBudget {
	group: string;
	limit?: number;
	remaining?: number;
	windowMs?: number;
}

interface HeaderSource {
	get(name: string): string | null | undefined;
}

const positive = (value: string | null | undefined): number | undefined => {
	if (value === null || value === undefined || value.trim() === '') return undefined;
	const n = Number(value);
	return Number.isFinite(n) && n >= 0 ? n : undefined;
};

/** Reads `X-Rate-Limit-Group/-Limit/-Remaining/-Window`; undefined when the response states no group. */
export function statedBudget(headers: HeaderSource | undefined, fallbackGroup?: string): StatedBudget | undefined {
	if (!headers) return undefined;
	const group = (headers.get('x-rate-limit-group') ?? fallbackGroup ?? '').trim().toLowerCase();
	const limit = positive(headers.get('x-rate-limit-limit'));
	const remaining = positive(headers.get('x-rate-limit-remaining'));
	const windowS = positive(headers.get('x-rate-limit-window'));
	if (!group || (limit === undefined && remaining === undefined)) return undefined;
	return {
		group,
		limit: limit && limit >= 1 ? Math.floor(limit) : undefined,
		remaining: remaining === undefined ? undefined : Math.floor(remaining),
		windowMs: windowS && windowS > 0 ? Math.round(windowS * 1000) : undefined,
	};
}

/** `Retry-After` in ms: seconds, or an HTTP date. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
	const date = Date.parse(value);
	return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
