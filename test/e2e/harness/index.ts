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
