/**
 * Installs the packed tarball into an n8n user folder exactly the way n8n's Community Nodes UI does on 2.x
 * (`community-packages.service` `downloadPackage`, the same steps in 2.8.4 and 2.40.7), on every n8n
 * version the tests run (1.x's UI differs; see docs/n8n-versions.md):
 *   1. `npm pack` the package (the UI packs it from the registry; we pack the source tree, see pack.ts);
 *   2. unpack it into `.n8n/nodes/node_modules/<name>`;
 *   3. delete `devDependencies`, `peerDependencies` and `optionalDependencies` from its package.json;
 *   4. `npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
 *      --ignore-scripts=true --package-lock=false` inside it;
 *   5. record the dependency in `.n8n/nodes/package.json` (`installed-nodes`).
 *
 * Dropping the peer dependency matters: a second copy of n8n-workflow next to the nodes breaks
 * `instanceof NodeOperationError` checks inside n8n, so the install fails if one appears anywhere in the
 * nodes folder. `--ignore-scripts=true` means no dependency may need an install script to work.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { e2eTmpRoot } from './pack';
import { run, withLock } from './util';

/** n8n's own flags, in n8n's order. */
export const N8N_NPM_INSTALL_ARGS = [
	'--audit=false',
	'--fund=false',
	'--bin-links=false',
	'--install-strategy=shallow',
	'--ignore-scripts=true',
	'--package-lock=false',
];

function fileHash(file: string): string {
	return createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 16);
}

async function installInto(nodesDir: string, tarball: string): Promise<void> {
	fs.mkdirSync(nodesDir, { recursive: true });
	const rootPkgPath = path.join(nodesDir, 'package.json');
	const rootPkg = { name: 'installed-nodes', private: true, dependencies: {} as Record<string, string> };
	const pkgDir = path.join(nodesDir, 'node_modules', 'n8n-nodes-ringcentral-sms');
	fs.mkdirSync(pkgDir, { recursive: true });
	await run('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1']);
	const pkgJsonPath = path.join(pkgDir, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(
		fs.readFileSync(pkgJsonPath, 'utf8'),
	);
	void devDependencies;
	void peerDependencies;
	void optionalDependencies;
	fs.writeFileSync(pkgJsonPath, JSON.stringify(pkg, null, 2));
	await run('npm', ['install', ...N8N_NPM_INSTALL_ARGS, '--loglevel=error'], {
		cwd: pkgDir,
		label: 'npm install (package dependencies in the n8n nodes folder)',
	});
	rootPkg.dependencies[pkg.name] = pkg.version;
	fs.writeFileSync(rootPkgPath, JSON.stringify(rootPkg, null, 2));
	const duplicates = findPackageDirs(path.join(nodesDir, 'node_modules'), 'n8n-workflow');
	if (duplicates.length) {
		throw new Error(`n8n-workflow was installed in the nodes folder (${duplicates.join(', ')}); n8n must provide it`);
	}
}

/** Every `node_modules/<name>` below `modulesDir`, at any depth (nested installs included). */
export function findPackageDirs(modulesDir: string, name: string): string[] {
	const found: string[] = [];
	const visit = (dir: string) => {
		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(dir, { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries) {
			if (!entry.isDirectory()) continue;
			const full = path.join(dir, entry.name);
			if (entry.name === name) found.push(full);
			if (entry.name.startsWith('@')) visit(full);
			else visit(path.join(full, 'node_modules'));
		}
	};
	visit(modulesDir);
	return found;
}

/**
 * Copies an installed `.n8n/nodes` folder for this tarball into `userFolder`. The npm install runs once per
 * tarball (cached under the temp folder); later n8n instances get a copy in well under a second.
 */
export async function installPackageIntoUserFolder(userFolder: string, tarball: string): Promise<string> {
	const template = path.join(e2eTmpRoot(), `nodes-${fileHash(tarball)}`);
	const done = path.join(template, '.complete');
	if (!fs.existsSync(done)) {
		await withLock(`${template}.lock`, 10 * 60_000, async () => {
			if (fs.existsSync(done)) return;
			fs.rmSync(template, { recursive: true, force: true });
			await installInto(path.join(template, 'nodes'), tarball);
			fs.writeFileSync(done, tarball + '\n');
		});
	}
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(path.dirname(nodesDir), { recursive: true });
	// Hard links make the copy near-instant; each instance still gets its own directory tree.
	const linked = await run('cp', ['-al', path.join(template, 'nodes'), nodesDir], { allowFailure: true });
	if (linked.code !== 0) {
		fs.rmSync(nodesDir, { recursive: true, force: true });
		fs.cpSync(path.join(template, 'nodes'), nodesDir, { recursive: true, verbatimSymlinks: true });
	}
	return nodesDir;
}
