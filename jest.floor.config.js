/**
 * The second end-to-end run of `npm test`: a lean subset on the 2.x floor (n8n 2.8.4, Node 20), run with
 * N8N_E2E_VERSION=2.8.4. Together these files use every node, every bundled template and queue mode; the
 * full suite runs on the main target (jest.config.js). Keep this list short: its time counts twice in CI.
 */
const base = require('./jest.config');

module.exports = {
	...base,
	displayName: 'e2e on the n8n 2.x floor',
	testMatch: [
		// Every node once, the credential test, a RingCentral send.
		'**/test/e2e/version-smoke.test.ts',
		// Every bundled template as shipped.
		'**/test/e2e/workflows.test.ts',
		// Queue mode: main + webhook process + workers with the shared Redis coordination.
		'**/test/e2e/queue-mode.test.ts',
	],
};
