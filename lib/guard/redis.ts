/**
 * How the abuse guard reaches Redis: the same setting as the RingCentral transport
 * (`N8N_RINGCENTRAL_REDIS_URL`, keys under `N8N_RINGCENTRAL_REDIS_PREFIX`), one connection per URL per
 * process. Every caller of the guard gets its connection here and only here, so a different way of finding
 * Redis (for example n8n's own queue settings) is a change to this one function.
 */
import Redis from 'ioredis';

export interface SharedRedis {
	redis: Redis;
	prefix: string;
}

const connections = new Map<string, Redis>();

export function sharedRedis(env: NodeJS.ProcessEnv = process.env): SharedRedis | undefined {
	const url = env.N8N_RINGCENTRAL_REDIS_URL?.trim();
	if (!url) return undefined;
	let redis = connections.get(url);
	if (!redis) {
		redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
		// Connection trouble is reported by the calls that need Redis; an unhandled 'error' event would crash n8n.
		redis.on('error', () => undefined);
		connections.set(url, redis);
	}
	return { redis, prefix: env.N8N_RINGCENTRAL_REDIS_PREFIX ?? 'n8n-rc-sms:' };
}

/** For tests: close the guard's Redis connections. */
export async function closeSharedRedis(): Promise<void> {
	await Promise.all(Array.from(connections.values()).map((r) => r.quit().catch(() => r.disconnect())));
	connections.clear();
}
