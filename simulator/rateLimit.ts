/**
 * RingCentral's per-user-per-app rate-limit groups: a sliding window of `limit` requests; a breach starts a
 * penalty and every request during the penalty restarts it (as the reference describes).
 */
import { apiError, type HttpError } from './http';
import type { RateGroup, SimConfig } from './types';

interface Bucket {
	hits: number[];
	penaltyUntil: number;
}

export interface RateDecision {
	headers: Record<string, string>;
	/** Set when the request is refused (429). */
	error?: HttpError;
}

export class RateLimiter {
	private readonly buckets = new Map<string, Bucket>();

	constructor(private readonly config: () => SimConfig) {}

	reset(): void {
		this.buckets.clear();
	}

	check(key: string, group: RateGroup, now = Date.now()): RateDecision {
		const { limits, windowSeconds, penaltySeconds } = this.config();
		const limit = limits[group];
		const bucketKey = `${key}|${group}`;
		let bucket = this.buckets.get(bucketKey);
		if (!bucket) {
			bucket = { hits: [], penaltyUntil: 0 };
			this.buckets.set(bucketKey, bucket);
		}
		const windowStart = now - windowSeconds * 1000;
		bucket.hits = bucket.hits.filter((t) => t > windowStart);
		const headers: Record<string, string> = {
			'X-Rate-Limit-Group': group,
			'X-Rate-Limit-Limit': String(limit),
			'X-Rate-Limit-Window': String(windowSeconds),
		};
		if (bucket.penaltyUntil > now || bucket.hits.length >= limit) {
			bucket.penaltyUntil = now + penaltySeconds * 1000;
			const refused = { ...headers, 'X-Rate-Limit-Remaining': '0', 'Retry-After': String(Math.max(1, Math.ceil(penaltySeconds))) };
			return { headers: refused, error: apiError(429, 'CMN-301', 'Request rate exceeded', { headers: refused }) };
		}
		bucket.hits.push(now);
		headers['X-Rate-Limit-Remaining'] = String(Math.max(0, limit - bucket.hits.length));
		return { headers };
	}
}
