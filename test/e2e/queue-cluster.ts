/**
 * An n8n queue-mode cluster for the queue-mode tests: the harness's main process (own PostgreSQL database
 * and Bull prefix from its queue backend) plus `n8n worker` processes started here, one output stream each.
 *
 * Why not the harness's own workers: their logs share one buffer, and inside a container every worker's host
 * id is `worker-<hostname>`, so nothing n8n logs tells two workers apart. Each worker's own stdout does:
 * it prints `Worker started execution <id>` for every job it takes.
 */
import { spawn, type ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import { createQueueBackend } from './harness/queue';
import { ensureN8n, freePort, n8nCommand, startN8n, waitFor, type N8nInstance, type StartN8nOptions } from './harness';

export interface QueueWorker {
	index: number;
	pid: number;
	output(): string;
	/** Ids of the executions this worker started. */
	executions(): string[];
}

export interface QueueCluster {
	n8n: N8nInstance;
	workers: QueueWorker[];
	/** Production webhook URL on the `n8n webhook` process (or on main when there is none). */
	webhookUrl(webhookPath: string): string;
	/** The webhook process's output, when there is one. */
	webhookOutput(): string;
	/** Index of the worker that ran an execution; waits until one reports it. */
	workerOf(executionId: string): Promise<number>;
	/** Kills a worker outright (SIGKILL, as a crash would), for fault tests. */
	killWorker(index: number): Promise<void>;
	/** Starts a new worker process (appended to `workers`) and waits until it is ready. */
	addWorker(): Promise<QueueWorker>;
	/** Process ids of main's children that run n8n (main itself is the harness's), the webhook process and the workers. */
	pids(): { webhook?: number; workers: number[] };
	stop(): Promise<void>;
}

const PASS_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];

async function endGroup(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const signal = (sig: NodeJS.Signals) => {
		try {
			process.kill(-(child.pid as number), sig);
		} catch {
			// already gone
		}
	};
	signal('SIGTERM');
	const timer = setTimeout(() => signal('SIGKILL'), 10_000);
	await exited;
	clearTimeout(timer);
	signal('SIGKILL');
}

export async function startQueueCluster(
	options: Pick<StartN8nOptions, 'workflows' | 'credentials'> & { workers: number; concurrency: number; env: Record<string, string>; webhookProcess?: boolean },
): Promise<QueueCluster> {
	const install = await ensureN8n();
	const backend = await createQueueBackend({ workers: 0 }, install);
	// Main and workers must decrypt the same credentials: fix the key instead of the harness's random one.
	const shared: Record<string, string> = { ...backend.env, ...options.env, N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex') };
	const children: ChildProcess[] = [];
	let n8n: N8nInstance | undefined;
	const stop = async () => {
		for (const child of children) await endGroup(child);
		await n8n?.stop();
		await backend.close().catch(() => undefined);
	};
	try {
		n8n = await startN8n({ workflows: options.workflows, credentials: options.credentials, env: shared });
		const userFolder = n8n.userFolder;
		const launch = async (args: string[], extra: Record<string, string> = {}) => {
			const env: Record<string, string> = {
				...Object.fromEntries(PASS_THROUGH.filter((k) => process.env[k]).map((k) => [k, process.env[k] as string])),
				...shared,
				N8N_USER_FOLDER: userFolder,
				N8N_RUNNERS_MODE: 'internal',
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				N8N_PYTHON_ENABLED: 'false',
				N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
				N8N_REINSTALL_MISSING_PACKAGES: 'false',
				N8N_DIAGNOSTICS_ENABLED: 'false',
				QUEUE_HEALTH_CHECK_ACTIVE: 'false',
				N8N_LOG_LEVEL: 'info',
				N8N_LOG_OUTPUT: 'console',
				N8N_LOG_FORMAT: 'text',
				GENERIC_TIMEZONE: 'UTC',
				...extra,
			};
			// The install's own Node (2.36+ need Node 24), first on PATH for whatever n8n starts.
			const command = n8nCommand(install, args, env);
			const child = spawn(command.cmd, command.args, { env: command.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
			children.push(child);
			let text = '';
			const append = (d: Buffer) => {
				text += d.toString();
				if (text.length > 8_000_000) text = text.slice(-4_000_000);
			};
			child.stdout?.on('data', append);
			child.stderr?.on('data', append);
			return { child, output: () => text };
		};
		const ready = async (name: string, proc: { child: ChildProcess; output(): string }, marker: RegExp) =>
			await waitFor(
				async () => {
					if (marker.test(proc.output())) return true;
					if (proc.child.exitCode !== null) throw new Error(`${name} exited:\n${proc.output().slice(-3000)}`);
					return undefined;
				},
				180_000,
				() => new Error(`${name} did not become ready:\n${proc.output().slice(-3000)}`),
			);

		const workers: QueueWorker[] = [];
		const workerProcs: Array<{ child: ChildProcess; output(): string }> = [];
		const startWorker = async (): Promise<QueueWorker> => {
			const proc = await launch(['worker', `--concurrency=${options.concurrency}`]);
			workerProcs.push(proc);
			const worker: QueueWorker = {
				index: workers.length,
				pid: proc.child.pid as number,
				output: proc.output,
				executions: () => Array.from(proc.output().matchAll(/Worker started execution (\d+)/g), (m) => m[1]),
			};
			workers.push(worker);
			return worker;
		};
		for (let index = 0; index < options.workers; index++) await startWorker();
		let webhook: { url: string; output(): string; pid?: number } | undefined;
		if (options.webhookProcess) {
			// Webhook processes register the published workflows' webhooks from the database when they start.
			const port = await freePort();
			const proc = await launch(['webhook'], { N8N_PORT: String(port), N8N_LISTEN_ADDRESS: '127.0.0.1' });
			await ready('webhook process', proc, /Webhook listener waiting for requests/);
			webhook = { url: `http://127.0.0.1:${port}`, output: proc.output, pid: proc.child.pid };
		}
		for (const worker of workers) await ready(`worker ${worker.index}`, workerProcs[worker.index], /n8n worker is now ready/);
		const cluster = n8n;
		return {
			n8n: cluster,
			workers,
			webhookUrl: (webhookPath) => (webhook ? `${webhook.url}/webhook/${webhookPath.replace(/^\//, '')}` : cluster.webhookUrl(webhookPath)),
			webhookOutput: () => webhook?.output() ?? '',
			workerOf: async (executionId) =>
				await waitFor(
					async () => workers.find((w) => w.executions().includes(executionId))?.index,
					60_000,
					() => new Error(`no worker reported execution ${executionId}`),
				),
			killWorker: async (index) => {
				const child = workerProcs[index].child;
				if (child.exitCode !== null || child.signalCode !== null) return;
				const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
				try {
					process.kill(-(child.pid as number), 'SIGKILL');
				} catch {
					// already gone
				}
				await exited;
			},
			addWorker: async () => {
				const worker = await startWorker();
				await ready(`worker ${worker.index}`, workerProcs[worker.index], /n8n worker is now ready/);
				return worker;
			},
			pids: () => ({ webhook: webhook?.pid, workers: workerProcs.filter((p) => p.child.exitCode === null && p.child.signalCode === null).map((p) => p.child.pid as number) }),
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}
