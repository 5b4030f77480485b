/**
 * Builds and packs the repository exactly as it would be published, so end-to-end tests exercise the
 * tarball (its `files` list, compiled code and copied assets), not the source tree.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run, withLock } from './util';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** What goes into the tarball; a change to any of these means a new build and a new pack. */
const SOURCE_ROOTS = ['nodes', 'credentials', 'lib', 'workflows'];
const SOURCE_FILES = ['package.json', 'gulpfile.js', 'tsconfig.build.json', 'tsconfig.json', 'README.md', 'LICENSE'];

function listFiles(dir: string): string[] {
	if (!fs.existsSync(dir)) return [];
	const out: string[] = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) out.push(...listFiles(full));
		else if (entry.isFile()) out.push(full);
	}
	return out;
}

function sourceFiles(): string[] {
	const files = SOURCE_ROOTS.flatMap((d) => listFiles(path.join(REPO_ROOT, d)));
	files.push(...SOURCE_FILES.map((f) => path.join(REPO_ROOT, f)).filter((f) => fs.existsSync(f)));
	return files.filter((f) => !/\.test\.ts$/.test(f)).sort();
}

function sourceHash(files: string[]): string {
	const hash = createHash('sha256');
	for (const f of files) {
		hash.update(path.relative(REPO_ROOT, f));
		hash.update('\0');
		hash.update(fs.readFileSync(f));
	}
	return hash.digest('hex').slice(0, 16);
}

/** dist is current when every compiled file is newer than every source (a fresh `npm run build`). */
function distIsFresh(files: string[]): boolean {
	const dist = listFiles(path.join(REPO_ROOT, 'dist'));
	if (dist.length === 0) return false;
	const newestSource = Math.max(...files.map((f) => fs.statSync(f).mtimeMs));
	const oldestDist = Math.min(...dist.map((f) => fs.statSync(f).mtimeMs));
	return oldestDist >= newestSource;
}

export function e2eTmpRoot(): string {
	const dir = path.join(os.tmpdir(), 'n8n-rc-e2e');
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

let memo: Promise<string> | undefined;

/**
 * Returns the path of `n8n-nodes-ringcentral-sms-<version>.tgz` for the current sources. Packs are cached
 * by a hash of the sources, so several test files (each its own module registry under jest) and
 * `npm start` share one build.
 */
export async function packPackage(): Promise<string> {
	memo ??= doPack();
	memo.catch(() => (memo = undefined));
	return await memo;
}

async function doPack(): Promise<string> {
	const files = sourceFiles();
	const hash = sourceHash(files);
	const outDir = path.join(e2eTmpRoot(), `pack-${hash}`);
	const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
	const tarball = path.join(outDir, `${pkg.name}-${pkg.version}.tgz`);
	if (fs.existsSync(tarball)) return tarball;
	return await withLock(path.join(e2eTmpRoot(), 'pack.lock'), 10 * 60_000, async () => {
		if (fs.existsSync(tarball)) return tarball;
		if (!distIsFresh(files)) {
			await run('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, label: 'npm run build' });
		}
		const staging = `${outDir}.tmp-${process.pid}`;
		fs.rmSync(staging, { recursive: true, force: true });
		fs.mkdirSync(staging, { recursive: true });
		// --ignore-scripts: the build above already ran; prepack would run it a second time.
		await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', staging], {
			cwd: REPO_ROOT,
			label: 'npm pack',
		});
		// Rename last so a half-written pack is never mistaken for a finished one.
		fs.rmSync(outDir, { recursive: true, force: true });
		fs.renameSync(staging, outDir);
		if (!fs.existsSync(tarball)) throw new Error(`npm pack did not produce ${tarball}`);
		return tarball;
	});
}
