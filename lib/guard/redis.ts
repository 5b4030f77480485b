/**
 * How the abuse guard reaches Redis: the package's one shared connection (lib/ringcentral/redis.ts) —
 * `N8N_RINGCENTRAL_REDIS_URL`, or in queue mode n8n's own queue Redis — with keys under the package's prefix.
 * Every caller of the guard gets its connection here and only here.
 */
import type Redis from 'ioredis';
import { closeSharedRedis as closePackageRedis, redisPrefix, sharedRedis as packageRedis } from '../ringcentral/redis';

export interface SharedRedis {
	redis: Redis;
	prefix: string;
}

export function sharedRedis(env: NodeJS.ProcessEnv = process.env): SharedRedis | undefined {
	const redis = packageRedis(env);
	// A Redis Cluster answers the guard's single-key scripts like one server does.
	return redis ? { redis: redis as Redis, prefix: redisPrefix(env) } : undefined;
}

/** For tests: close the package's Redis connections. */
export async function closeSharedRedis(): Promise<void> {
	await closePackageRedis();
}
