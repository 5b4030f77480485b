/**
 * Read-only queries on an n8n instance's own database (SQLite file or the queue-mode Postgres database),
 * with the drivers n8n itself ships. Used for facts the REST API does not expose, such as which
 * production webhooks are registered.
 */
import { createRequire } from 'module';
import * as path from 'path';
import type { N8nInstall } from './cache';

export interface RegisteredWebhook {
	workflowId: string;
	/** Path after `/webhook/`. */
	webhookPath: string;
	method: string;
	node: string;
}

export async function queryN8nDb<T = Record<string, unknown>>(
	install: N8nInstall,
	env: Record<string, string>,
	sql: string,
): Promise<T[]> {
	const req = createRequire(path.join(install.dir, 'node_modules', 'n8n', 'package.json'));
	if (env.DB_TYPE === 'postgresdb') {
		const { Client } = req('pg');
		const client = new Client({
			host: env.DB_POSTGRESDB_HOST,
			port: Number(env.DB_POSTGRESDB_PORT),
			user: env.DB_POSTGRESDB_USER,
			password: env.DB_POSTGRESDB_PASSWORD,
			database: env.DB_POSTGRESDB_DATABASE,
		});
		await client.connect();
		try {
			return (await client.query(sql)).rows as T[];
		} finally {
			await client.end();
		}
	}
	const sqlite3 = req('sqlite3');
	const file = path.join(env.N8N_USER_FOLDER, '.n8n', 'database.sqlite');
	return await new Promise<T[]>((resolve, reject) => {
		const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (openError: Error | null) => {
			if (openError) return reject(openError);
			db.all(sql, (error: Error | null, rows: T[]) => {
				db.close();
				if (error) reject(error);
				else resolve(rows);
			});
		});
	});
}

export async function registeredWebhooks(install: N8nInstall, env: Record<string, string>): Promise<RegisteredWebhook[]> {
	const rows = await queryN8nDb<{ workflowId: string; webhookPath: string; method: string; node: string }>(
		install,
		env,
		'SELECT "workflowId", "webhookPath", "method", "node" FROM webhook_entity ORDER BY "workflowId", "webhookPath", "method"',
	);
	return rows.map((r) => ({ ...r, workflowId: String(r.workflowId) }));
}
