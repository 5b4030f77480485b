/**
 * Small process, port and lock helpers for the end-to-end harness. Nothing here knows about n8n.
 */
import { spawn, type SpawnOptions } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

export interface RunResult {
	code: number;
	stdout: string;
	stderr: string;
}

/** Runs a command to completion; rejects with the output tail when it exits non-zero (unless allowFailure). */
export async function run(
	cmd: string,
	args: string[],
	opts: SpawnOptions & { allowFailure?: boolean; label?: string } = {},
): Promise<RunResult> {
	return await new Promise((resolve, reject) => {
		const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('error', reject);
		child.on('close', (code) => {
			const result = { code: code ?? -1, stdout, stderr };
			if (code === 0 || opts.allowFailure) return resolve(result);
			const label = opts.label ?? `${cmd} ${args.join(' ')}`;
			reject(new Error(`${label} exited with ${code}\n${tail(stdout + '\n' + stderr, 40)}`));
		});
	});
}

export function tail(text: string, lines: number): string {
	return text.split('\n').slice(-lines).join('\n');
}

/** Asks the OS for a port nobody listens on right now (there is a small race until the caller binds it). */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			const port = typeof addr === 'object' && addr ? addr.port : 0;
			srv.close(() => resolve(port));
		});
	});
}

export const sleep = async (ms: number) => await new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value other than undefined, or throws `onTimeout()` after `timeoutMs`. */
export async function waitFor<T>(
	probe: () => Promise<T | undefined>,
	timeoutMs: number,
	onTimeout: () => Error,
	intervalMs = 250,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe().catch(() => undefined);
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw onTimeout();
		await sleep(intervalMs);
	}
}

function pidAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * A cross-process lock: a directory created atomically with the owner's pid inside. A lock whose owner
 * died (an interrupted install or build) is taken over instead of waited on forever.
 */
export async function withLock<T>(lockDir: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
	fs.mkdirSync(path.dirname(lockDir), { recursive: true });
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			fs.mkdirSync(lockDir);
			fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
			break;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const owner = Number(readOr(path.join(lockDir, 'pid'), '0'));
			// No pid yet means the owner is between mkdir and write: give it a moment before judging.
			const stale = owner > 0 ? !pidAlive(owner) : ageMs(lockDir) > 10_000;
			if (stale) {
				fs.rmSync(lockDir, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`Timed out waiting for lock ${lockDir} (held by pid ${owner})`);
			await sleep(500);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lockDir, { recursive: true, force: true });
	}
}

function readOr(file: string, fallback: string): string {
	try {
		return fs.readFileSync(file, 'utf8').trim();
	} catch {
		return fallback;
	}
}

function ageMs(p: string): number {
	try {
		return Date.now() - fs.statSync(p).mtimeMs;
	} catch {
		return 0;
	}
}
