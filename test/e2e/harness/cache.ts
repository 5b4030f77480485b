/**
 * The pinned n8n lives in a cache outside the repository so `npm ci` of the package stays small and every
 * test run (and `npm start`) reuses one install of ~2,000 packages.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run, withLock } from './util';

export const DEFAULT_N8N_VERSION = '2.8.4';

export interface N8nInstall {
	version: string;
	/** Folder holding package.json and node_modules. */
	dir: string;
	/** The CLI entry (`node_modules/n8n/bin/n8n`), run with the current Node binary. */
	bin: string;
}

export function n8nCacheDir(version: string): string {
	const root = process.env.N8N_RC_CACHE;
	if (root) return path.join(root, `n8n-${version}`);
	return path.join(os.homedir(), '.cache', 'n8n-nodes-ringcentral-sms', `n8n-${version}`);
}

function installedVersion(dir: string): string | undefined {
	try {
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8'));
		return pkg.version as string;
	} catch {
		return undefined;
	}
}

/** A finished install has the marker, or (installs made before the marker existed) the right version and bin. */
function isComplete(dir: string, version: string): boolean {
	if (fs.existsSync(path.join(dir, '.complete'))) return true;
	return installedVersion(dir) === version && fs.existsSync(path.join(dir, 'node_modules', '.bin', 'n8n'));
}

const memo = new Map<string, Promise<N8nInstall>>();

/**
 * Installs n8n `version` into the cache unless it is already there. A lock folder serialises concurrent
 * installers; the `.complete` marker is written only after npm succeeded, so an interrupted install is
 * redone rather than trusted.
 */
export async function ensureN8n(version = DEFAULT_N8N_VERSION): Promise<N8nInstall> {
	let pending = memo.get(version);
	if (!pending) {
		pending = install(version);
		memo.set(version, pending);
		pending.catch(() => memo.delete(version));
	}
	return await pending;
}

async function install(version: string): Promise<N8nInstall> {
	const dir = n8nCacheDir(version);
	const result: N8nInstall = { version, dir, bin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n') };
	const marker = path.join(dir, '.complete');
	if (fs.existsSync(marker)) return result;
	// 15 minutes: a cold install downloads ~2,000 packages (about 5 minutes on CI).
	return await withLock(`${dir}.lock`, 15 * 60_000, async () => {
		if (isComplete(dir, version)) {
			fs.writeFileSync(marker, new Date().toISOString() + '\n');
			return result;
		}
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
		process.stderr.write(`[e2e] installing n8n ${version} into ${dir} (first run only, a few minutes)\n`);
		const started = Date.now();
		await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
			cwd: dir,
			label: `npm install n8n@${version}`,
		});
		if (installedVersion(dir) !== version) throw new Error(`n8n ${version} did not install into ${dir}`);
		fs.writeFileSync(marker, new Date().toISOString() + '\n');
		process.stderr.write(`[e2e] n8n ${version} installed in ${Math.round((Date.now() - started) / 1000)} s\n`);
		return result;
	});
}
