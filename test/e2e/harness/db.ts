/**
 * Read-only queries on an n8n instance's own database (SQLite file or the queue-mode Postgres database),
 * with the drivers n8n itself ships. Used for facts the REST API does not expose, such as which
 * production webhooks are registered.
 */
import { createRequire } from 'module';
import * as path from 'path';
import type { N8nInstall } from './cache';
import { run } from './util';

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
	return await querySqlite<T>(install, path.join(env.N8N_USER_FOLDER, '.n8n', 'database.sqlite'), sql);
}

/**
 * SQLite through n8n's own sqlite3 module, in a child process on the install's Node: the native module is
 * built for that Node (24 for n8n 2.36+), which the test runner (Node 20) cannot load.
 */
async function querySqlite<T>(install: N8nInstall, file: string, sql: string): Promise<T[]> {
	// Resolving does not load the module, so the test runner's Node may do it.
	const module = createRequire(path.join(install.dir, 'node_modules', 'n8n', 'package.json')).resolve('sqlite3');
	const script = `
const sqlite3 = require(${JSON.stringify(module)});
const [file, sql] = JSON.parse(process.argv[1]);
const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (openError) => {
	if (openError) { console.error(openError.message); process.exit(2); }
	db.all(sql, (error, rows) => {
		db.close();
		if (error) { console.error(error.message); process.exit(3); }
		process.stdout.write(JSON.stringify(rows));
	});
});`;
	const out = await run(install.node, ['-e', script, JSON.stringify([file, sql])], { label: 'sqlite query on the n8n database' });
	return JSON.parse(out.stdout) as T[];
}

export async function registeredWebhooks(install: N8nInstall, env: Record<string, string>): Promise<RegisteredWebhook[]> {
	const rows = await queryN8nDb<{ workflowId: string; webhookPath: string; method: string; node: string }>(
		install,
		env,
		'SELECT "workflowId", "webhookPath", "method", "node" FROM webhook_entity ORDER BY "workflowId", "webhookPath", "method"',
	);
	return rows.map((r) => ({ ...r, workflowId: String(r.workflowId) }));
}
