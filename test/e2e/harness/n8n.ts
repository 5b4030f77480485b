/**
 * Starts a real, headless n8n with this package installed as a community node: temp user folder, CLI
 * imports of credentials and workflows, `n8n start`, owner account, published workflows.
 */
import { spawn, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ensureN8n, n8nPath, type N8nInstall } from './cache';
import { registeredWebhooks, type RegisteredWebhook } from './db';
import { installPackageIntoUserFolder } from './install';
import { packPackage } from './pack';
import { createQueueBackend, type QueueBackend, type QueueModeOptions } from './queue';
import { DEFAULT_OWNER, N8nRest, type OwnerAccount } from './rest';
import { freePort, run, tail, waitFor, type RunResult } from './util';
import { defaultN8nVersion, n8nDialect } from './versions';

export interface StartN8nOptions {
	/** n8n version (default `N8N_E2E_VERSION`, else the main target; see versions.ts). */
	version?: string;
	/** Workflow objects or paths of workflow JSON files (one workflow or an array per file). */
	workflows?: Array<object | string>;
	/** Credential objects `{ id, name, type, data: {...plain} }` or file paths; n8n encrypts `data` on import. */
	credentials?: Array<object | string>;
	/** Which imported workflows to publish: all (default), none, or these ids. */
	publish?: 'all' | 'none' | string[];
	/**
	 * `cli` runs `n8n publish:workflow` (1.x: `update:workflow --active=true`) before start, the headless path;
	 * `rest` activates after start (faster).
	 */
	publishVia?: 'cli' | 'rest';
	/** Install the packed package into the user folder (default true). */
	installPackage?: boolean;
	env?: Record<string, string>;
	/** Fixed port (default: a free one). */
	port?: number;
	owner?: OwnerAccount;
	queueMode?: QueueModeOptions;
	startTimeoutMs?: number;
	/** Prefix for log lines mirrored to stderr; unset keeps n8n quiet unless E2E_N8N_LOGS=1. */
	echoLogs?: boolean;
}

export interface N8nInstance {
	baseUrl: string;
	/** Production URL of a webhook path: `${baseUrl}/webhook/${path}`. */
	webhookUrl(webhookPath: string): string;
	userFolder: string;
	owner: OwnerAccount;
	/** Logged-in REST client (owner). */
	rest: N8nRest;
	/** Ids of the imported workflows and credentials, in input order. */
	workflowIds: string[];
	credentialIds: string[];
	install: N8nInstall;
	/** The n8n version running (same as `install.version`). */
	version: string;
	/** Seconds from spawn to "editor accessible", and total setup seconds. */
	timings: Record<string, number>;
	/** The environment n8n runs with (ports, database, encryption key). */
	env: Record<string, string>;
	/** Production webhooks n8n registered for published workflows (from its webhook table). */
	registeredWebhooks(): Promise<RegisteredWebhook[]>;
	logs(): string;
	/** Runs an n8n CLI command against this instance's database and settings. */
	cli(args: string[], opts?: { allowFailure?: boolean }): Promise<RunResult>;
	/** Stops the main n8n process (the user folder and database stay); `startMain()` brings it back. */
	stopMain(): Promise<void>;
	/** Starts the main process again after `stopMain()` and waits until it is ready again. */
	startMain(): Promise<void>;
	stop(): Promise<void>;
}

const PASS_THROUGH_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'SYSTEMROOT', 'USER', 'npm_config_cache'];

function baseEnv(): Record<string, string> {
	const env: Record<string, string> = {};
	// A clean environment: a developer's own N8N_* / DB_* / NODE_OPTIONS must not leak into the test n8n.
	for (const key of PASS_THROUGH_ENV) if (process.env[key]) env[key] = process.env[key] as string;
	return env;
}

function readJsonInputs(inputs: Array<object | string> | undefined): any[] {
	const out: any[] = [];
	for (const input of inputs ?? []) {
		const value = typeof input === 'string' ? JSON.parse(fs.readFileSync(input, 'utf8')) : input;
		out.push(...(Array.isArray(value) ? value : [value]));
	}
	return out;
}

/** n8n ids are 16 alphanumeric characters. */
export function newId(): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = randomBytes(16);
	return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

class LogBuffer {
	private chunks: string[] = [];
	private size = 0;
	constructor(
		private readonly file: string,
		private readonly echo: boolean,
	) {}
	push(text: string) {
		this.chunks.push(text);
		this.size += text.length;
		// Keep the last ~4 MB in memory; the file has everything.
		while (this.size > 4_000_000 && this.chunks.length > 1) this.size -= (this.chunks.shift() as string).length;
		try {
			fs.appendFileSync(this.file, text);
		} catch {
			// The user folder is removed on stop; output that arrives after that only stays in memory.
		}
		if (this.echo) process.stderr.write(text);
	}
	text() {
		return this.chunks.join('');
	}
}

/** Process groups still running; killed if the test process exits without calling stop(). */
const liveGroups = new Set<number>();
process.once('exit', () => {
	for (const pid of liveGroups) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
});

/** An n8n CLI command line for `install`: its own Node, and that Node first on PATH for what n8n starts (npm). */
export function n8nCommand(install: N8nInstall, args: string[], env: Record<string, string>): { cmd: string; args: string[]; env: Record<string, string> } {
	return { cmd: install.node, args: [install.bin, ...args], env: { ...env, PATH: n8nPath(install, env.PATH ?? process.env.PATH) } };
}

function spawnN8n(install: N8nInstall, args: string[], env: Record<string, string>, log: LogBuffer): ChildProcess {
	const command = n8nCommand(install, args, env);
	// detached: its own process group, so stop() can end n8n and its task runner together.
	const child = spawn(command.cmd, command.args, { env: command.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout?.on('data', (d: Buffer) => log.push(d.toString()));
	child.stderr?.on('data', (d: Buffer) => log.push(d.toString()));
	const pid = child.pid;
	if (pid) {
		liveGroups.add(pid);
		child.once('exit', () => liveGroups.delete(pid));
	}
	return child;
}

async function killTree(child: ChildProcess, graceMs = 8000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	const signal = (sig: NodeJS.Signals) => {
		try {
			process.kill(-(child.pid as number), sig);
		} catch {
			// already gone
		}
	};
	signal('SIGTERM');
	const timer = setTimeout(() => signal('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	// Whatever the group left behind (a task runner) goes too.
	signal('SIGKILL');
}

export async function startN8n(options: StartN8nOptions = {}): Promise<N8nInstance> {
	const t0 = Date.now();
	const timings: Record<string, number> = {};
	const mark = (name: string) => (timings[name] = (Date.now() - t0) / 1000);
	const install = await ensureN8n(options.version ?? defaultN8nVersion());
	const dialect = n8nDialect(install.version);
	mark('n8nReady');
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-rc-e2e-user-'));
	const log = new LogBuffer(path.join(userFolder, 'n8n.log'), options.echoLogs ?? process.env.E2E_N8N_LOGS === '1');
	const children: ChildProcess[] = [];
	let queue: QueueBackend | undefined;
	const cleanup = async () => {
		for (const c of children.reverse()) await killTree(c);
		await queue?.close();
		if (process.env.KEEP_E2E === '1') process.stderr.write(`[e2e] kept n8n user folder ${userFolder}\n`);
		else fs.rmSync(userFolder, { recursive: true, force: true });
	};

	try {
		if (options.installPackage !== false) {
			await installPackageIntoUserFolder(userFolder, await packPackage());
			mark('packageInstalled');
		}
		const port = options.port || (await freePort());
		const baseUrl = `http://127.0.0.1:${port}`;
		const env: Record<string, string> = {
			...baseEnv(),
			N8N_USER_FOLDER: userFolder,
			N8N_PORT: String(port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `${baseUrl}/`,
			N8N_EDITOR_BASE_URL: `${baseUrl}/`,
			N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
			N8N_USER_MANAGEMENT_JWT_SECRET: randomBytes(24).toString('hex'),
			N8N_SECURE_COOKIE: 'false',
			// No calls home and no banners: deterministic and offline-friendly.
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			// Task runners are always on in 2.x; the broker needs its own port per instance.
			N8N_RUNNERS_MODE: 'internal',
			N8N_PYTHON_ENABLED: 'false',
			DB_SQLITE_POOL_SIZE: '2',
			DB_SQLITE_VACUUM_ON_STARTUP: 'false',
			// Every run is saved, so tests can read execution data back (and prove secrets are absent).
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
			EXECUTIONS_DATA_PRUNE: 'false',
			GENERIC_TIMEZONE: 'UTC',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			N8N_PUBLIC_API_DISABLED: 'false',
		};
		env.N8N_RUNNERS_BROKER_PORT = String(await freePort());
		if (options.queueMode) {
			queue = await createQueueBackend(options.queueMode, install);
			Object.assign(env, queue.env);
		}
		Object.assign(env, options.env ?? {});

		const cli = async (args: string[], opts: { allowFailure?: boolean } = {}) => {
			const command = n8nCommand(install, args, { ...env, N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
			return await run(command.cmd, command.args, {
				env: command.env,
				allowFailure: opts.allowFailure,
				label: `n8n ${args.join(' ')}`,
			});
		};

		// Credentials first: workflows refer to them by id.
		const credentials = readJsonInputs(options.credentials).map((c) => ({ id: newId(), ...c }));
		const workflows = readJsonInputs(options.workflows).map((w) => ({ id: newId(), active: false, ...w }));
		// Import stops on the first error but still exits 0 in 2.8, so verify by listing afterwards.
		if (credentials.length) {
			const file = path.join(userFolder, 'import-credentials.json');
			fs.writeFileSync(file, JSON.stringify(credentials));
			const out = await cli(['import:credentials', `--input=${file}`]);
			fs.rmSync(file);
			if (!/Successfully imported/i.test(out.stdout + out.stderr)) {
				throw new Error(`n8n import:credentials failed:\n${tail(out.stdout + out.stderr, 30)}`);
			}
		}
		if (workflows.length) {
			const file = path.join(userFolder, 'import-workflows.json');
			fs.writeFileSync(file, JSON.stringify(workflows));
			const out = await cli(['import:workflow', `--input=${file}`]);
			if (!/Successfully imported/i.test(out.stdout + out.stderr)) {
				throw new Error(`n8n import:workflow failed:\n${tail(out.stdout + out.stderr, 30)}`);
			}
		}
		mark('imported');
		const publish = options.publish ?? 'all';
		const toPublish =
			publish === 'all' ? workflows.map((w) => w.id as string) : publish === 'none' ? [] : publish;
		const publishVia = options.publishVia ?? 'rest';
		if (publishVia === 'cli') {
			for (const id of toPublish) {
				await cli(dialect.publishing === 'publish' ? ['publish:workflow', `--id=${id}`] : ['update:workflow', `--id=${id}`, '--active=true']);
			}
			mark('publishedCli');
		}

		const started = Date.now();
		const timeoutMs = options.startTimeoutMs ?? 120_000;
		let main: ChildProcess;
		const startMainProcess = async () => {
			const logOffset = log.text().length;
			main = spawnN8n(install, ['start'], env, log);
			children.push(main);
			let exitNote = '';
			main.once('exit', (code, sig) => (exitNote = `n8n exited early (code ${code}, signal ${sig})`));
			const failure = (what: string) =>
				new Error(`${what} (${baseUrl}, user folder ${userFolder})\n--- n8n log tail ---\n${tail(log.text(), 60)}`);
			// "Editor is now accessible" is printed after active workflows (and their webhooks) are registered.
			await waitFor(
				async () => {
					if (exitNote) throw failure(exitNote);
					if (!/Editor is now accessible via/.test(log.text().slice(logOffset))) return undefined;
					const res = await fetch(`${baseUrl}/healthz/readiness`);
					return res.ok ? true : undefined;
				},
				timeoutMs,
				() => failure(exitNote || `n8n did not become ready within ${timeoutMs / 1000} s`),
			).catch((error) => {
				throw exitNote ? failure(exitNote) : error;
			});
		};
		await startMainProcess();
		timings.startSeconds = (Date.now() - started) / 1000;
		mark('listening');

		for (const w of queue?.workers ?? []) {
			const child = spawnN8n(install, w.args, { ...env, ...w.env }, log);
			children.push(child);
		}
		if (queue) await queue.waitForWorkers(log, timeoutMs);

		const owner = options.owner ?? DEFAULT_OWNER;
		const rest = new N8nRest(baseUrl, install.dir, install.version);
		await rest.setupOwner(owner);
		await rest.login(owner);
		if (publishVia === 'rest') {
			for (const id of toPublish) await rest.publishWorkflow(id);
		} else {
			// 2.40's outbox may still be registering what the CLI published when the editor comes up.
			for (const id of toPublish) await rest.waitForPublication(id);
		}
		mark('ready');

		let stopped = false;
		return {
			baseUrl,
			webhookUrl: (p: string) => `${baseUrl}/webhook/${p.replace(/^\//, '')}`,
			userFolder,
			owner,
			rest,
			workflowIds: workflows.map((w) => w.id),
			credentialIds: credentials.map((c) => c.id),
			install,
			version: install.version,
			timings,
			env,
			registeredWebhooks: async () => await registeredWebhooks(install, env),
			logs: () => log.text(),
			cli,
			stopMain: async () => {
				await killTree(main);
				children.splice(children.indexOf(main), 1);
			},
			startMain: async () => {
				await startMainProcess();
				await rest.login(owner);
			},
			stop: async () => {
				if (stopped) return;
				stopped = true;
				await cleanup();
			},
		};
	} catch (error) {
		await cleanup();
		throw error;
	}
}
