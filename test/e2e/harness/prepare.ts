/**
 * `tsx test/e2e/harness/prepare.ts [version ...]`: installs n8n versions (and the Node they need) into the
 * harness cache before jest starts, so a cold install (5-10 minutes each) never counts against a test
 * file's beforeAll budget. Without arguments: the three versions `npm test` runs. Same cache, same locks
 * and same markers as `ensureN8n()`; a warm cache returns at once.
 */
import { ensureN8n } from './cache';
import { FLOOR_N8N_VERSION, MAIN_N8N_VERSION, SMOKE_1X_N8N_VERSION, parseVersion } from './versions';

async function main(): Promise<void> {
	const versions = process.argv.slice(2).length ? process.argv.slice(2) : [MAIN_N8N_VERSION, FLOOR_N8N_VERSION, SMOKE_1X_N8N_VERSION];
	for (const v of versions) parseVersion(v);
	const started = Date.now();
	// One at a time: each npm install of n8n peaks near 3 GB and both cores; in parallel they only contend.
	for (const version of versions) {
		const t0 = Date.now();
		const install = await ensureN8n(version);
		process.stderr.write(`[e2e] n8n ${version} ready in ${install.dir} (${Math.round((Date.now() - t0) / 1000)} s)\n`);
	}
	process.stderr.write(`[e2e] n8n cache ready: ${versions.join(', ')} in ${Math.round((Date.now() - started) / 1000)} s\n`);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
