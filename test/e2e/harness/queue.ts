/**
 * Queue mode for the harness: main + workers sharing Redis (Bull) and PostgreSQL, as n8n recommends for
 * scaling. Each instance gets its own Postgres database and Bull key prefix and drops both on close.
 */
import { createRequire } from 'module';
import * as path from 'path';
import type { N8nInstall } from './cache';
import { freePort, waitFor } from './util';

export interface QueueModeOptions {
	/** Number of `n8n worker` processes (default 1). */
	workers?: number;
	/** Jobs per worker (default 5). */
	concurrency?: number;
	redis?: { host?: string; port?: number; db?: number };
	postgres?: { host?: string; port?: number; user?: string; password?: string; adminDatabase?: string };
}

export interface QueueBackend {
	env: Record<string, string>;
	workers: Array<{ args: string[]; env: Record<string, string> }>;
	waitForWorkers(log: { text(): string }, timeoutMs: number): Promise<void>;
	close(): Promise<void>;
}

export async function createQueueBackend(opts: QueueModeOptions, install: N8nInstall): Promise<QueueBackend> {
	const req = createRequire(path.join(install.dir, 'node_modules', 'n8n', 'package.json'));
	const { Client } = req('pg');
	const pg = {
		host: opts.postgres?.host ?? '127.0.0.1',
		port: opts.postgres?.port ?? 5432,
		user: opts.postgres?.user ?? 'postgres',
		password: opts.postgres?.password ?? '',
		database: opts.postgres?.adminDatabase ?? 'test',
	};
	const suffix = `${process.pid}_${Date.now().toString(36)}`;
	const dbName = `n8n_rc_e2e_${suffix}`;
	const admin = new Client(pg);
	await admin.connect();
	try {
		await admin.query(`CREATE DATABASE "${dbName}"`);
	} finally {
		await admin.end();
	}
	const redis = { host: opts.redis?.host ?? '127.0.0.1', port: opts.redis?.port ?? 6379, db: opts.redis?.db ?? 0 };
	const bullPrefix = `n8n-rc-e2e-${suffix}`;
	const env: Record<string, string> = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_PREFIX: bullPrefix,
		// n8n's Redis cache (webhook lookups among others) and pub/sub share this prefix. Left at the default
		// `n8n`, two instances on one Redis see each other's webhooks and refuse to publish with a 409.
		N8N_REDIS_KEY_PREFIX: bullPrefix,
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_BULL_REDIS_DB: String(redis.db),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: pg.password,
		DB_POSTGRESDB_DATABASE: dbName,
		// Workers write execution data; main reads it. Offloading manual runs keeps the editor path realistic.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
	const workers: QueueBackend['workers'] = [];
	for (let i = 0; i < (opts.workers ?? 1); i++) {
		workers.push({
			args: ['worker', `--concurrency=${opts.concurrency ?? 5}`],
			env: {
				QUEUE_HEALTH_CHECK_ACTIVE: 'false',
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				QUEUE_HEALTH_CHECK_PORT: String(await freePort()),
			},
		});
	}
	return {
		env,
		workers,
		async waitForWorkers(log, timeoutMs) {
			const count = workers.length;
			await waitFor(
				async () => ((log.text().match(/n8n worker is now ready/g) ?? []).length >= count ? true : undefined),
				timeoutMs,
				() => new Error(`${count} n8n worker(s) did not become ready within ${timeoutMs / 1000} s`),
			);
		},
		async close() {
			// Bull (`prefix:jobs:...`) and cache (`prefix:cache:...`) keys alike.
			await dropRedisKeys(req, redis, `${bullPrefix}:*`).catch(() => undefined);
			const c = new Client(pg);
			await c.connect();
			try {
				await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
			} finally {
				await c.end();
			}
		},
	};
}

async function dropRedisKeys(
	req: NodeRequire,
	redis: { host: string; port: number; db: number },
	pattern: string,
): Promise<void> {
	const Redis = req('ioredis');
	const client = new Redis({ host: redis.host, port: redis.port, db: redis.db, lazyConnect: true });
	await client.connect();
	try {
		let cursor = '0';
		do {
			const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
			cursor = next;
			if (keys.length) await client.del(...keys);
		} while (cursor !== '0');
	} finally {
		client.disconnect();
	}
}
