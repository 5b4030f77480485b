/**
 * End-to-end harness: a real n8n (pinned, cached outside the repo) with this package installed from its
 * packed tarball the way n8n's Community Nodes UI installs it (install.ts). Versions (versions.ts): the
 * default is `N8N_E2E_VERSION`, else the main target 2.40.7 (on a pinned Node 24 the harness installs
 * itself); `npm test` also runs a subset on 2.8.4 and a smoke on 1.85.4. `startN8n({ version })` picks
 * one explicitly; `n8n.version` says which runs; `n8nDialect(version)` says what differs (1.x activates
 * with `active: true`, has no `publish:workflow` and no `export:nodes`). Spawn n8n processes of your own
 * with `n8nCommand(install, args, env)`, never `process.execPath`: 2.40.7 needs its own Node.
 *
 * Typical use, one instance per test file:
 *
 *   let n8n: N8nInstance;
 *   beforeAll(async () => { n8n = await startN8n({ workflows: [wf], credentials: [cred] }); }, E2E_TIMEOUT_MS);
 *   afterAll(async () => await n8n?.stop());
 *   const res = await fetch(n8n.webhookUrl('my-path'), { method: 'POST', body: '...' });
 *   const [last] = await n8n.rest.listExecutions({ workflowId: n8n.workflowIds[0] });
 *   const exec = await n8n.rest.getExecution(last.id);  // exec.rawData: what n8n stored
 *
 * Options: `credentials` (`{ id, name, type, data }`, plain data, n8n encrypts it on import), `publish`
 * ('all' | 'none' | ids), `publishVia` ('rest' default, or 'cli' = `n8n publish:workflow` before start),
 * `queueMode: { workers, concurrency }` (PostgreSQL database + Bull prefix of its own, dropped on stop),
 * `env` (extra n8n variables, applied last), `port`, `version`. `n8n.cli([...])` runs any n8n CLI command against the
 * instance; `n8n.registeredWebhooks()` reads n8n's webhook table. KEEP_E2E=1 keeps the user folder
 * (with `n8n.log`); E2E_N8N_LOGS=1 mirrors n8n's log to stderr.
 *
 * Measured on the 2-CPU dev machine (n8n cached, tarball packed): nodes folder copy < 1 s, the two CLI
 * imports ~9 s (each CLI command boots n8n, ~4.5 s), `n8n start` until webhooks are registered ~7 s, owner
 * setup + publish < 1 s: ~17 s per instance when idle, up to ~75 s when the machine is loaded. A changed
 * source tree adds a build + pack + npm install of the package (~20 s). A cold n8n install took 10 min
 * under load (budget: E2E_TIMEOUT_MS). Share one instance per test file. On 2.40.7 publishing is
 * asynchronous (an outbox); `rest.publishWorkflow` waits until n8n reports the workflow published.
 */
export { ensureN8n, n8nCacheDir, n8nPath, DEFAULT_N8N_VERSION, type N8nInstall } from './cache';
export {
	MAIN_N8N_VERSION,
	FLOOR_N8N_VERSION,
	SMOKE_1X_N8N_VERSION,
	defaultN8nVersion,
	compareVersions,
	n8nDialect,
	requiredNodeVersion,
	type N8nDialect,
} from './versions';
export { packPackage, REPO_ROOT } from './pack';
export { installPackageIntoUserFolder, findPackageDirs, N8N_NPM_INSTALL_ARGS } from './install';
export { startN8n, newId, n8nCommand, type N8nInstance, type StartN8nOptions } from './n8n';
export type { QueueModeOptions } from './queue';
export { queryN8nDb, registeredWebhooks, type RegisteredWebhook } from './db';
export { N8nRest, N8nRestError, DEFAULT_OWNER, nodeOutput, type ExecutionDetail, type ExecutionSummary, type OwnerAccount } from './rest';
export { waitFor, freePort } from './util';

/** beforeAll budget: first run on a fresh machine installs n8n (~5 min); a warm start takes seconds. */
export const E2E_TIMEOUT_MS = 15 * 60_000;

/** The name n8n gives this package's node types once installed. */
export const PACKAGE_NODE_PREFIX = 'n8n-nodes-ringcentral-sms';
