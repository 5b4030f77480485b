/**
 * Reply times of the Ringotel SSO template for "unknown user" versus "wrong password": can a caller tell
 * which usernames exist from how long a 403 takes? Real n8n (the harness, packed package), real slapd
 * (its password policy's lockout off so 200 wrong passwords stay "wrong"), and the template with its
 * brute-force protection off (otherwise the 6th try of a username is refused before the directory).
 * Also the same two cases straight through lib/directory, without n8n, and a locked-out username with
 * the protection on.
 *
 *   npx tsx bench/ringotel-sso.ts [--tries 200] [--directory-only]
 *
 * Tries of the two kinds are interleaved (unknown, wrong, unknown, …) so drift hits both alike. Prints a
 * table and writes bench/results/ringotel-sso-<time>.json.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { directoryConfig, directoryLogin } from '../lib/directory';
import { PASSWORDS, SERVICE_DN, SERVICE_PASSWORD, SUFFIX, startSlapd } from '../test/services/ldap/slapd';
import { loadTemplate, templateCredentials, RINGOTEL_CALLER } from '../test/e2e/browser/templates';
import { startN8n } from '../test/e2e/harness';

const TRIES = Number(process.argv[process.argv.indexOf('--tries') + 1] || 200) || 200;
const WARMUP = 20;

function stats(ms: number[]) {
	const s = [...ms].sort((a, b) => a - b);
	const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
	return { n: s.length, p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
}
const round = (v: number) => Math.round(v * 100) / 100;

async function timed(fn: () => Promise<unknown>): Promise<number> {
	const t0 = process.hrtime.bigint();
	await fn();
	return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<void> {
	const slapd = await startSlapd({ lockAfterFailures: 0 });
	const credential = { url: slapd.url, bindDn: SERVICE_DN, bindPassword: SERVICE_PASSWORD, searchBase: SUFFIX, userFilter: '(uid={username})' };
	const config = directoryConfig(credential);

	// 1. The directory alone.
	const lib = { unknown: [] as number[], wrong: [] as number[] };
	for (let i = 0; i < WARMUP; i++) await directoryLogin(config, 'alice', `warm-${i}`);
	for (let i = 0; i < TRIES; i++) {
		lib.unknown.push(await timed(() => directoryLogin(config, `ghost-${i}`, `guess-${i}`)));
		lib.wrong.push(await timed(() => directoryLogin(config, 'alice', `guess-${i}`)));
	}

	if (process.argv.includes('--directory-only')) {
		await slapd.stop();
		console.table({ 'directory: unknown user': stats(lib.unknown), 'directory: wrong password': stats(lib.wrong) });
		return;
	}

	// 2. Through n8n: the template as shipped, brute-force protection off.
	const template = loadTemplate('ringotel');
	for (const node of template.nodes) if (node.type.endsWith('.directoryLogin')) node.parameters.bruteForceProtection = false;
	const pepper = randomBytes(32).toString('hex');
	const credentials = templateCredentials([template], 'http://127.0.0.1:9').map((c: any) => {
		if (c.type === 'otpStoreApi') return { ...c, data: { pepper, storeType: 'memory' } };
		if (c.type === 'directoryApi') return { ...c, data: credential };
		return c;
	});
	const n8n = await startN8n({ workflows: [template], credentials });
	const auth = `Basic ${Buffer.from(`${RINGOTEL_CALLER.user}:${RINGOTEL_CALLER.password}`).toString('base64')}`;
	const post = async (username: string, password: string, expect: number) => {
		const res = await fetch(n8n.webhookUrl('ringotel/authorize'), { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
		await res.text();
		if (res.status !== expect) throw new Error(`expected ${expect}, got ${res.status} for ${username}`);
	};
	const http = { unknown: [] as number[], wrong: [] as number[], right: [] as number[] };
	try {
		for (let i = 0; i < WARMUP; i++) await post('alice', `warm-${i}`, 403);
		for (let i = 0; i < TRIES; i++) {
			http.unknown.push(await timed(() => post(`ghost-${i}`, `guess-${i}`, 403)));
			http.wrong.push(await timed(() => post('alice', `guess-${i}`, 403)));
			if (i % 4 === 0) http.right.push(await timed(() => post('alice', PASSWORDS.alice, 200)));
		}
	} finally {
		await n8n.stop();
		await slapd.stop();
	}

	const result = {
		date: new Date().toISOString(),
		tries: TRIES,
		note: 'ms per request, closed loop, one at a time; slapd on the same host; n8n regular mode, executions not saved (template settings)',
		directoryOnly: { unknownUser: stats(lib.unknown), wrongPassword: stats(lib.wrong) },
		throughN8n: { unknownUser: stats(http.unknown), wrongPassword: stats(http.wrong), rightPassword: stats(http.right) },
	};
	console.table({
		'directory: unknown user': result.directoryOnly.unknownUser,
		'directory: wrong password': result.directoryOnly.wrongPassword,
		'n8n 403: unknown user': result.throughN8n.unknownUser,
		'n8n 403: wrong password': result.throughN8n.wrongPassword,
		'n8n 200: right password': result.throughN8n.rightPassword,
	});
	const dir = path.join(__dirname, 'results');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `ringotel-sso-${result.date.replace(/[:.]/g, '-')}.json`);
	fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
	console.log(`wrote ${file}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
