/**
 * The version table the harness acts on, and that `npm test` runs the versions it names (no n8n needed).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findPackageDirs } from './install';
import { REPO_ROOT } from './pack';
import { FLOOR_N8N_VERSION, MAIN_N8N_VERSION, SMOKE_1X_N8N_VERSION, compareVersions, n8nDialect, requiredNodeVersion } from './versions';

describe('n8n versions under test', () => {
	const scripts = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;

	it('npm test runs the main suite, the 2.x floor subset and the 1.x smoke, on the versions versions.ts names', () => {
		expect(scripts.test).toMatch(/npm run test:prepare && npm run test:main && npm run test:floor && npm run test:1x$/);
		expect(scripts['test:prepare']).toBe('tsx test/e2e/harness/prepare.ts');
		expect(scripts['test:main']).not.toMatch(/N8N_E2E_VERSION/);
		expect(scripts['test:floor']).toContain(`N8N_E2E_VERSION=${FLOOR_N8N_VERSION} `);
		expect(scripts['test:1x']).toContain(`N8N_E2E_VERSION=${SMOKE_1X_N8N_VERSION} `);
	});

	it('orders releases numerically and refuses anything but a plain version', () => {
		expect(compareVersions('2.40.7', '2.8.4')).toBeGreaterThan(0);
		expect(compareVersions('1.85.4', '1.123.50')).toBeLessThan(0);
		expect(compareVersions('2.8.4', '2.8.4')).toBe(0);
		expect(() => compareVersions('latest', '2.8.4')).toThrow(/Not an n8n release version/);
	});

	it('pins Node 24 for 2.36+, Node 22 for 2.10-2.35, and the runner\'s Node for 2.8 and 1.x', () => {
		expect(requiredNodeVersion(MAIN_N8N_VERSION)).toMatch(/^24\./);
		expect(requiredNodeVersion('2.36.0')).toMatch(/^24\./);
		expect(requiredNodeVersion('2.35.9')).toMatch(/^22\./);
		expect(requiredNodeVersion('2.10.0')).toMatch(/^22\./);
		expect(requiredNodeVersion(FLOOR_N8N_VERSION)).toBeUndefined();
		expect(requiredNodeVersion(SMOKE_1X_N8N_VERSION)).toBeUndefined();
	});

	it('1.x activates with the active flag; 2.36+ installs without scripts and rebuilds only its native modules', () => {
		expect(n8nDialect(SMOKE_1X_N8N_VERSION)).toMatchObject({ publishing: 'activeFlag', hasExportNodes: false, rebuildOnly: undefined });
		expect(n8nDialect(FLOOR_N8N_VERSION)).toMatchObject({ publishing: 'publish', hasExportNodes: true, rebuildOnly: undefined });
		expect(n8nDialect(MAIN_N8N_VERSION).rebuildOnly).toEqual(['sqlite3', 'isolated-vm']);
	});
});

describe('findPackageDirs (the check that no n8n-workflow lands in the nodes folder)', () => {
	it('finds a package at the top, under a scope and nested in a dependency', () => {
		const root = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-rc-find-'));
		try {
			const mk = (...p: string[]) => fs.mkdirSync(path.join(root, ...p), { recursive: true });
			mk('n8n-nodes-x', 'node_modules', '@scope', 'dep', 'node_modules', 'n8n-workflow');
			mk('n8n-nodes-x', 'node_modules', 'other');
			expect(findPackageDirs(root, 'n8n-workflow')).toEqual([
				path.join(root, 'n8n-nodes-x', 'node_modules', '@scope', 'dep', 'node_modules', 'n8n-workflow'),
			]);
			mk('n8n-workflow');
			expect(findPackageDirs(root, 'n8n-workflow')).toHaveLength(2);
			expect(findPackageDirs(root, 'absent')).toEqual([]);
		} finally {
			fs.rmSync(root, { recursive: true, force: true });
		}
	});
});
