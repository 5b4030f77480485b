/**
 * The n8n versions under test live in a cache outside the repository so `npm ci` of the package stays small
 * and every test run (and `npm start`) reuses one install of ~2,000 packages per version. Versions that need
 * a newer Node than the one running the tests get a pinned Node from npm's `node` package, cached beside them.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run, withLock } from './util';
import { defaultN8nVersion, n8nDialect, requiredNodeVersion } from './versions';

/** The version used when none is named: `N8N_E2E_VERSION`, else the main target (see versions.ts). */
export const DEFAULT_N8N_VERSION = defaultN8nVersion();

export interface N8nInstall {
	version: string;
	/** Folder holding package.json and node_modules. */
	dir: string;
	/** The CLI entry (`node_modules/n8n/bin/n8n`); run it with `node`. */
	bin: string;
	/** The Node.js executable this n8n runs on (the test runner's own, or a pinned one from the cache). */
	node: string;
	/** Prepend to PATH for n8n processes, so the npm and node they start are the same Node (unset: none needed). */
	pathPrefix?: string;
}

function cacheRoot(): string {
	return process.env.N8N_RC_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-ringcentral-sms');
}

export function n8nCacheDir(version: string): string {
	return path.join(cacheRoot(), `n8n-${version}`);
}

/** PATH with the install's Node first (or unchanged when it runs on the test runner's Node). */
export function n8nPath(install: Pick<N8nInstall, 'pathPrefix'>, basePath = process.env.PATH ?? ''): string {
	return install.pathPrefix ? `${install.pathPrefix}${path.delimiter}${basePath}` : basePath;
}

function installedVersion(dir: string): string | undefined {
	try {
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8'));
		return pkg.version as string;
	} catch {
		return undefined;
	}
}

/** Installs made before the `.complete` marker existed: plain-npm versions with the right version and bin. */
function madeBeforeMarkers(dir: string, version: string): boolean {
	if (n8nDialect(version).rebuildOnly) return false;
	return installedVersion(dir) === version && fs.existsSync(path.join(dir, 'node_modules', '.bin', 'n8n'));
}

interface NodeRuntime {
	node: string;
	pathPrefix?: string;
}

const nodeMemo = new Map<string, Promise<NodeRuntime>>();

/**
 * A Node.js of `version` from npm's `node` package (its preinstall script fetches the platform binary, a
 * package of its own on the same registry). Installed once per cache, under a lock, marked when verified.
 */
async function ensureNode(version: string): Promise<NodeRuntime> {
	let pending = nodeMemo.get(version);
	if (!pending) {
		pending = installNode(version);
		nodeMemo.set(version, pending);
		pending.catch(() => nodeMemo.delete(version));
	}
	return await pending;
}

async function installNode(version: string): Promise<NodeRuntime> {
	const dir = path.join(cacheRoot(), `node-${version}`);
	const binDir = path.join(dir, 'node_modules', '.bin');
	const runtime: NodeRuntime = { node: path.join(binDir, 'node'), pathPrefix: binDir };
	const marker = path.join(dir, '.complete');
	if (fs.existsSync(marker)) return runtime;
	return await withLock(`${dir}.lock`, 10 * 60_000, async () => {
		if (!fs.existsSync(marker)) {
			fs.mkdirSync(dir, { recursive: true });
			fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'node-runtime-cache', private: true }) + '\n');
			process.stderr.write(`[e2e] installing Node ${version} into ${dir} (first run only)\n`);
			await run('npm', ['install', `node@${version}`, '--no-audit', '--no-fund', '--loglevel=error'], {
				cwd: dir,
				label: `npm install node@${version}`,
			});
			const got = (await run(runtime.node, ['--version'])).stdout.trim();
			if (got !== `v${version}`) throw new Error(`Expected Node v${version} in ${dir}, got ${got || 'nothing'}`);
			fs.writeFileSync(marker, new Date().toISOString() + '\n');
		}
		return runtime;
	});
}

/** The Node an n8n version runs on: the test runner's own when its major is new enough, else a pinned one. */
async function nodeFor(n8nVersion: string): Promise<NodeRuntime> {
	const wanted = requiredNodeVersion(n8nVersion);
	if (!wanted) return { node: process.execPath };
	const major = (v: string) => Number(v.replace(/^v/, '').split('.')[0]);
	if (major(process.version) >= major(wanted)) return { node: process.execPath };
	return await ensureNode(wanted);
}

const memo = new Map<string, Promise<N8nInstall>>();

/**
 * Installs n8n `version` (and the Node it needs) into the cache unless it is already there. A lock folder
 * serialises concurrent installers; the `.complete` marker is written only after npm succeeded, so an
 * interrupted install is redone rather than trusted.
 */
export async function ensureN8n(version = defaultN8nVersion()): Promise<N8nInstall> {
	let pending = memo.get(version);
	if (!pending) {
		pending = install(version);
		memo.set(version, pending);
		pending.catch(() => memo.delete(version));
	}
	return await pending;
}

async function install(version: string): Promise<N8nInstall> {
	const runtime = await nodeFor(version);
	const dir = n8nCacheDir(version);
	const result: N8nInstall = {
		version,
		dir,
		bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		node: runtime.node,
		pathPrefix: runtime.pathPrefix,
	};
	const marker = path.join(dir, '.complete');
	if (fs.existsSync(marker)) return result;
	// 20 minutes: a cold install downloads ~2,000 packages (5-10 minutes) and may compile native modules.
	return await withLock(`${dir}.lock`, 20 * 60_000, async () => {
		if (fs.existsSync(marker)) return result;
		if (madeBeforeMarkers(dir, version)) {
			fs.writeFileSync(marker, new Date().toISOString() + '\n');
			return result;
		}
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			JSON.stringify(
				{
					name: 'n8n-runtime-cache',
					private: true,
					dependencies: { n8n: version },
					// n8n pins xlsx to a tarball on a CDN that CI machines often cannot reach.
					overrides: { xlsx: '0.18.5' },
				},
				null,
				2,
			) + '\n',
		);
		// The native modules n8n needs are N-API (sqlite3) or ship prebuilds per Node ABI (isolated-vm), so
		// rebuilding them under the install's Node is enough; no headers for that Node are needed.
		const env: NodeJS.ProcessEnv = { ...process.env, PATH: n8nPath(runtime) };
		const { rebuildOnly } = n8nDialect(version);
		process.stderr.write(`[e2e] installing n8n ${version} into ${dir} (first run only, 5-15 minutes)\n`);
		const started = Date.now();
		const npmArgs = ['--no-audit', '--no-fund', '--loglevel=error'];
		await run('npm', ['install', ...(rebuildOnly ? ['--ignore-scripts'] : []), ...npmArgs], {
			cwd: dir,
			env,
			label: `npm install n8n@${version}`,
		});
		if (rebuildOnly) {
			await run('npm', ['rebuild', ...rebuildOnly, ...npmArgs], { cwd: dir, env, label: `npm rebuild ${rebuildOnly.join(' ')}` });
		}
		if (installedVersion(dir) !== version) throw new Error(`n8n ${version} did not install into ${dir}`);
		fs.writeFileSync(marker, new Date().toISOString() + '\n');
		process.stderr.write(`[e2e] n8n ${version} installed in ${Math.round((Date.now() - started) / 1000)} s\n`);
		return result;
	});
}
