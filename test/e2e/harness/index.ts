/**
 * End-to-end harness: a real n8n (pinned, cached outside the repo) with this package installed from its
 * packed tarball. Typical use, one instance per test file:
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
 * `env` (extra n8n variables, applied last), `port`. `n8n.cli([...])` runs any n8n CLI command against the
 * instance; `n8n.registeredWebhooks()` reads n8n's webhook table. KEEP_E2E=1 keeps the user folder
 * (with `n8n.log`); E2E_N8N_LOGS=1 mirrors n8n's log to stderr.
 *
 * Measured on the 2-CPU dev machine (n8n cached, tarball packed): nodes folder copy < 1 s, the two CLI
 * imports ~9 s (each CLI command boots n8n, ~4.5 s), `n8n start` until webhooks are registered ~7 s, owner
 * setup + publish < 1 s: ~17 s per instance when idle, up to ~75 s when the machine is loaded. A changed
 * source tree adds a build + pack + npm install of the package (~20 s). A cold n8n install took 10 min
 * under load (budget: E2E_TIMEOUT_MS). Share one instance per test file.
 */
export { ensureN8n, n8nCacheDir, DEFAULT_N8N_VERSION, type N8nInstall } from './cache';
export { packPackage, REPO_ROOT } from './pack';
export { installPackageIntoUserFolder } from './install';
export { startN8n, newId, type N8nInstance, type StartN8nOptions } from './n8n';
export type { QueueModeOptions } from './queue';
export { queryN8nDb, registeredWebhooks, type RegisteredWebhook } from './db';
export { N8nRest, N8nRestError, DEFAULT_OWNER, nodeOutput, type ExecutionDetail, type ExecutionSummary, type OwnerAccount } from './rest';
export { waitFor, freePort } from './util';

/** beforeAll budget: first run on a fresh machine installs n8n (~5 min); a warm start takes seconds. */
export const E2E_TIMEOUT_MS = 15 * 60_000;

/** The name n8n gives this package's node types once installed. */
export const PACKAGE_NODE_PREFIX = 'n8n-nodes-ringcentral-sms';
