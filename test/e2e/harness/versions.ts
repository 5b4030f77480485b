/**
 * The n8n versions the package is tested on, and what the harness must do differently on each. Facts are
 * recorded in docs/n8n-versions.md; this file is the one place the harness looks them up.
 */

/** Main end-to-end target: the newest n8n that installs from our registry (2.41.x does not). */
export const MAIN_N8N_VERSION = '2.40.7';
/** The 2.x floor: the newest n8n that still runs on Node 20. A subset of the suite runs on it. */
export const FLOOR_N8N_VERSION = '2.8.4';
/** The oldest n8n the README promises (1.x smoke test). */
export const SMOKE_1X_N8N_VERSION = '1.85.4';

/**
 * The version `startN8n()` and `ensureN8n()` use when the caller names none: `N8N_E2E_VERSION` if set
 * (how `npm test` runs the floor subset on 2.8.4), otherwise the main target.
 */
export function defaultN8nVersion(): string {
	return process.env.N8N_E2E_VERSION?.trim() || MAIN_N8N_VERSION;
}

/** `[major, minor, patch]`; throws on anything that is not a plain release version. */
export function parseVersion(version: string): [number, number, number] {
	const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
	if (!m) throw new Error(`Not an n8n release version: "${version}" (expected e.g. ${MAIN_N8N_VERSION})`);
	return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** Negative, zero or positive, like a sort comparator. */
export function compareVersions(a: string, b: string): number {
	const [x, y] = [parseVersion(a), parseVersion(b)];
	for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
	return 0;
}

const atLeast = (version: string, min: string) => compareVersions(version, min) >= 0;

/**
 * The Node.js release an n8n version needs, pinned so every machine runs the same binary. `undefined`
 * means the Node the tests run on (20) is fine. n8n's own `engines`: 2.36+ need Node >= 24, 2.10-2.35
 * Node >= 22.16; 2.8.x and 1.x run on Node 20.
 */
export function requiredNodeVersion(n8nVersion: string): string | undefined {
	if (atLeast(n8nVersion, '2.36.0')) return '24.21.0';
	if (atLeast(n8nVersion, '2.10.0')) return '22.23.3';
	return undefined;
}

export interface N8nDialect {
	/** 2.x "publishes" a workflow version; 1.x toggles `active` (no `publish:workflow`, no `/activate`). */
	publishing: 'publish' | 'activeFlag';
	/** `n8n export:nodes` exists (2.x only). */
	hasExportNodes: boolean;
	/**
	 * Install with `--ignore-scripts`, then rebuild only these native modules. 2.36+ pull in
	 * `@confluentinc/kafka-javascript`, whose install script downloads a binary from a host CI cannot reach.
	 */
	rebuildOnly?: string[];
}

export function n8nDialect(version: string): N8nDialect {
	const v2 = atLeast(version, '2.0.0');
	return {
		publishing: v2 ? 'publish' : 'activeFlag',
		hasExportNodes: v2,
		rebuildOnly: atLeast(version, '2.36.0') ? ['sqlite3', 'isolated-vm'] : undefined,
	};
}
