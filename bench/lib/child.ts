/**
 * Child processes for the benchmark (simulator, bare proxy): started with tsx, they announce themselves
 * with one JSON line on stdout. Stopped by their own pid only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export interface Child<T> {
	info: T;
	process: ChildProcess;
	stop(): Promise<void>;
}

export async function startTsx<T>(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Child<T>> {
	const child = spawn(TSX, [path.join(ROOT, script), ...args], {
		cwd: ROOT,
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stderr = '';
	child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
	const info = await new Promise<T>((resolve, reject) => {
		let buffer = '';
		const timer = setTimeout(() => reject(new Error(`${script} did not start within 60 s\n${stderr}`)), 60_000);
		child.stdout?.on('data', (d: Buffer) => {
			buffer += d.toString();
			const line = buffer.split('\n').find((l) => l.trim().startsWith('{'));
			if (line) {
				clearTimeout(timer);
				resolve(JSON.parse(line) as T);
			}
		});
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${script} exited with ${code}\n${stderr}`));
		});
	});
	child.removeAllListeners('exit');
	child.stdout?.resume();
	return {
		info,
		process: child,
		stop: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
				setTimeout(() => child.kill('SIGKILL'), 5000).unref();
			}),
	};
}

/** Resident memory of a process in MB (Linux /proc), or NaN when it is gone. */
export function rssMb(pid: number): number {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
		return Math.round((kb / 1024) * 10) / 10;
	} catch {
		return NaN;
	}
}

/**
 * The pid of the `n8n start` process that uses `userFolder` (not its task runner): found through /proc,
 * since the harness does not hand out pids.
 */
export function findN8nMainPid(userFolder: string): number | undefined {
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			if (!cmdline.some((a) => /n8n$/.test(a)) || !cmdline.includes('start')) continue;
			const environ = fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
			if (environ.includes(`N8N_USER_FOLDER=${userFolder}`)) return Number(entry);
		} catch {
			// The process ended while we looked, or is not ours to read.
		}
	}
	return undefined;
}
