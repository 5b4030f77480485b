/**
 * Which Redis the package shares its state through (RingCentral session and budgets, the gateway's duplicate
 * window), found without configuration in queue mode:
 *
 * 1. `N8N_RINGCENTRAL_REDIS_URL` when set (any mode);
 * 2. else, with `EXECUTIONS_MODE=queue`, n8n's own queue Redis (`QUEUE_BULL_REDIS_*`, cluster nodes
 *    included) — every process of the cluster already has those settings;
 * 3. else none: state stays in the process.
 *
 * The package's keys carry their own prefix (`N8N_RINGCENTRAL_REDIS_PREFIX`; default `n8n-rc-sms:`, or
 * `<QUEUE_BULL_PREFIX>:n8n-rc-sms:` on n8n's queue Redis), so they never mix with n8n's Bull keys.
 */
import Redis, { Cluster, type RedisOptions } from 'ioredis';
import type { RedisClient } from './coordination';

export const DEFAULT_PREFIX = 'n8n-rc-sms:';

export type RedisTarget =
	| { kind: 'url'; url: string }
	| { kind: 'queue'; options: RedisOptions }
	| { kind: 'cluster'; nodes: Array<{ host: string; port: number }>; options: RedisOptions };

const flag = (value: string | undefined) => /^(true|1|yes)$/i.test((value ?? '').trim());

/** Where to connect, from the environment; undefined means "no shared state". */
export function redisTarget(env: NodeJS.ProcessEnv = process.env): RedisTarget | undefined {
	const url = env.N8N_RINGCENTRAL_REDIS_URL?.trim();
	if (url) return { kind: 'url', url };
	if ((env.EXECUTIONS_MODE ?? '').trim().toLowerCase() !== 'queue') return undefined;
	const options: RedisOptions = {
		host: env.QUEUE_BULL_REDIS_HOST?.trim() || 'localhost',
		port: Number(env.QUEUE_BULL_REDIS_PORT) || 6379,
		db: Number(env.QUEUE_BULL_REDIS_DB) || 0,
		...(env.QUEUE_BULL_REDIS_USERNAME ? { username: env.QUEUE_BULL_REDIS_USERNAME } : {}),
		...(env.QUEUE_BULL_REDIS_PASSWORD ? { password: env.QUEUE_BULL_REDIS_PASSWORD } : {}),
		...(flag(env.QUEUE_BULL_REDIS_TLS) ? { tls: {} } : {}),
		...(flag(env.QUEUE_BULL_REDIS_DUALSTACK) ? { family: 0 } : {}),
	};
	const clusterNodes = (env.QUEUE_BULL_REDIS_CLUSTER_NODES ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean)
		.map((entry) => {
			const [host, port] = entry.split(':');
			return { host, port: Number(port) || 6379 };
		});
	if (clusterNodes.length) return { kind: 'cluster', nodes: clusterNodes, options };
	return { kind: 'queue', options };
}

/**
 * The package's key prefix. In zero-config queue mode it sits under n8n's own Bull prefix, so two n8n
 * clusters that share one Redis with different `QUEUE_BULL_PREFIX` stay apart, as n8n's own keys do.
 */
export function redisPrefix(env: NodeJS.ProcessEnv = process.env): string {
	if (env.N8N_RINGCENTRAL_REDIS_PREFIX) return env.N8N_RINGCENTRAL_REDIS_PREFIX;
	if (env.N8N_RINGCENTRAL_REDIS_URL?.trim()) return DEFAULT_PREFIX;
	return `${env.QUEUE_BULL_PREFIX?.trim() || 'bull'}:${DEFAULT_PREFIX}`;
}

const connections = new Map<string, RedisClient>();

/** One connection per target per process, shared by the transport and the gateway. */
export function sharedRedis(env: NodeJS.ProcessEnv = process.env): RedisClient | undefined {
	const target = redisTarget(env);
	if (!target) return undefined;
	const id = JSON.stringify(target);
	let client = connections.get(id);
	if (client) return client;
	const common = { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false } satisfies RedisOptions;
	if (target.kind === 'url') client = new Redis(target.url, common);
	else if (target.kind === 'queue') client = new Redis({ ...target.options, ...common });
	else {
		const { db: _db, ...nodeOptions } = target.options;
		client = new Cluster(target.nodes, { redisOptions: { ...nodeOptions, maxRetriesPerRequest: 2 } });
	}
	// Connection trouble is reported by the calls that need Redis; an unhandled 'error' event would crash n8n.
	client.on('error', () => undefined);
	connections.set(id, client);
	return client;
}

/** For tests: close every shared connection. */
export async function closeSharedRedis(): Promise<void> {
	const all = Array.from(connections.values());
	connections.clear();
	await Promise.all(all.map((r) => r.quit().catch(() => r.disconnect())));
}
