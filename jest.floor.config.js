/**
 * The second end-to-end run of `npm test`: a lean subset on the 2.x floor (n8n 2.8.4, Node 20), run with
 * N8N_E2E_VERSION=2.8.4. Together these files load every node, run the five gateway and OTP templates, the
 * RingCentral Trigger and the package in queue mode (call-log.test.ts is left out: three of its tests fail
 * on 2.8.4, see docs/n8n-versions.md); the full suite runs on the main target (jest.config.js). Keep this list short:
 * its time counts twice in CI (figures in docs/n8n-versions.md).
 */
const base = require('./jest.config');

module.exports = {
	...base,
	displayName: 'e2e on the n8n 2.x floor',
	testMatch: [
		// Every declared node loads; credential test, ManageEngine, OTP, RingCentral send and TOTP run.
		'**/test/e2e/version-smoke.test.ts',
		// The five gateway and OTP templates as shipped.
		'**/test/e2e/workflows.test.ts',
		// The RingCentral Trigger: webhook subscriptions created, renewed and deleted by n8n's webhook lifecycle.
		'**/test/e2e/ringcentral-trigger.test.ts',
		// Queue mode: the gateway nodes on a worker behind main (Redis + PostgreSQL).
		'**/test/e2e/gateway-queue.test.ts',
		// Directory Login against slapd and OTP Lockout Admin (the two nodes no template above runs).
		'**/test/e2e/directory-login.test.ts',
	],
};
