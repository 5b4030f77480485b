/**
 * A real OpenLDAP server for the directory tests: Debian's slapd with a throw-away cn=config in its own
 * temp folder, on its own free ports (plain + StartTLS, and LDAPS with a self-signed certificate), with
 * the ppolicy overlay so accounts really lock. Installs slapd through scripts/install-slapd.sh when missing.
 *
 * Directory (suffix dc=example,dc=test):
 * - cn=n8n-service,ou=services  — the service account (reads people, cannot read passwords)
 * - uid=alice  — "Alice Example", alice@example.test
 * - uid=bob + uid=robert  — two usernames, no displayName (cn "Bob Builder")
 * - uid=carol  — locked by an administrator (pwdAccountLockedTime)
 * - uid=dave, uid=erin  — for locking by failures (the policy locks after LOCK_AFTER_FAILURES wrong passwords)
 * - uid=twin in ou=people and in ou=contractors — an ambiguous username
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SUFFIX = 'dc=example,dc=test';
export const SERVICE_DN = `cn=n8n-service,ou=services,${SUFFIX}`;
export const SERVICE_PASSWORD = 'service-secret-9f3a';
export const PASSWORDS = {
	alice: 'alice-Correct-Horse-1',
	bob: 'bob-Battery-Staple-2',
	carol: 'carol-Locked-3',
	dave: 'dave-Right-4',
	erin: 'erin-Right-5',
	twin: 'twin-Same-6',
} as const;
/** Above the templates' own lockout (5 failures), so end-to-end tests see ours engage first. */
export const LOCK_AFTER_FAILURES = 8;

export interface Slapd {
	/** ldap://127.0.0.1:port (StartTLS available) */
	url: string;
	/** ldaps://localhost:port */
	ldapsUrl: string;
	/** PEM of the self-signed certificate (trust it as the CA). */
	caPem: string;
	stop(): Promise<void>;
}

const SLAPD = '/usr/sbin/slapd';

function ensureInstalled(): void {
	if (existsSync(SLAPD) && existsSync('/usr/sbin/slapadd')) return;
	execFileSync('bash', [resolve(__dirname, '../../../scripts/install-slapd.sh')], { stdio: 'inherit' });
}

async function freePort(): Promise<number> {
	return await new Promise((done, fail) => {
		const server = createServer();
		server.once('error', fail);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => done(port));
		});
	});
}

function configLdif(dir: string): string {
	return `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${dir}/slapd.pid
olcTLSCertificateFile: ${dir}/cert.pem
olcTLSCertificateKeyFile: ${dir}/key.pem

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb
olcModuleLoad: ppolicy

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: ${SUFFIX}
olcRootDN: cn=admin,${SUFFIX}
olcRootPW: admin-${SERVICE_PASSWORD}
olcDbDirectory: ${dir}/data
olcDbMaxSize: 33554432
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to * by dn.exact="${SERVICE_DN}" read by self read by * none

dn: olcOverlay={0}ppolicy,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcPPolicyConfig
olcOverlay: {0}ppolicy
olcPPolicyDefault: cn=default,ou=policies,${SUFFIX}
`;
}

function person(uid: string[], ou: string, cn: string, password: string, extra: string[] = []): string {
	return [`dn: uid=${uid[0]},ou=${ou},${SUFFIX}`, 'objectClass: inetOrgPerson', ...uid.map((u) => `uid: ${u}`), `cn: ${cn}`, `sn: ${cn.split(' ').pop()}`, `userPassword: ${password}`, ...extra, ''].join('\n');
}

function dataLdif(lockAfterFailures: number): string {
	const ou = (name: string) => `dn: ou=${name},${SUFFIX}\nobjectClass: organizationalUnit\nou: ${name}\n`;
	return [
		`dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n`,
		ou('people'),
		ou('services'),
		ou('policies'),
		ou('contractors'),
		`dn: ${SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: n8n-service\nuserPassword: ${SERVICE_PASSWORD}\n`,
		`dn: cn=default,ou=policies,${SUFFIX}\nobjectClass: organizationalRole\nobjectClass: pwdPolicy\ncn: default\npwdAttribute: userPassword\npwdLockout: ${lockAfterFailures > 0 ? 'TRUE' : 'FALSE'}\npwdMaxFailure: ${lockAfterFailures}\npwdLockoutDuration: 0\npwdFailureCountInterval: 0\n`,
		person(['alice'], 'people', 'Alice Example', PASSWORDS.alice, ['displayName: Alice Example', 'mail: alice@example.test']),
		person(['bob', 'robert'], 'people', 'Bob Builder', PASSWORDS.bob, ['mail: bob@example.test']),
		person(['carol'], 'people', 'Carol Locked', PASSWORDS.carol, ['displayName: Carol Locked', 'pwdAccountLockedTime: 000001010000Z']),
		person(['dave'], 'people', 'Dave Tries', PASSWORDS.dave, ['displayName: Dave Tries']),
		person(['erin'], 'people', 'Erin Tries', PASSWORDS.erin, ['displayName: Erin Tries']),
		person(['twin'], 'people', 'Twin One', PASSWORDS.twin),
		person(['twin'], 'contractors', 'Twin Two', PASSWORDS.twin),
	].join('\n');
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
	const deadline = Date.now() + 15_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode}: ${log()}`);
		const open = await new Promise<boolean>((done) => {
			const socket = createConnection({ port, host: '127.0.0.1' }, () => {
				socket.destroy();
				done(true);
			});
			socket.on('error', () => done(false));
		});
		if (open) return;
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`slapd did not listen on ${port}: ${log()}`);
}

/** `lockAfterFailures: 0` turns the policy's lockout off (benchmarks that fail thousands of times). */
export async function startSlapd(options: { lockAfterFailures?: number } = {}): Promise<Slapd> {
	ensureInstalled();
	const dir = mkdtempSync(join(tmpdir(), 'n8n-slapd-'));
	mkdirSync(join(dir, 'slapd.d'));
	mkdirSync(join(dir, 'data'));
	execFileSync('openssl', [
		'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost',
		'-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
		'-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
	], { stdio: 'ignore' });
	writeFileSync(join(dir, 'config.ldif'), configLdif(dir));
	writeFileSync(join(dir, 'data.ldif'), dataLdif(options.lockAfterFailures ?? LOCK_AFTER_FAILURES));
	execFileSync('/usr/sbin/slapadd', ['-n', '0', '-F', join(dir, 'slapd.d'), '-l', join(dir, 'config.ldif')], { stdio: 'pipe' });
	execFileSync('/usr/sbin/slapadd', ['-n', '1', '-F', join(dir, 'slapd.d'), '-l', join(dir, 'data.ldif')], { stdio: 'pipe' });
	const [port, ldapsPort] = [await freePort(), await freePort()];
	let output = '';
	// -d keeps slapd in the foreground (so it is our child and dies with the test), level 0 = quiet.
	const child = spawn(SLAPD, ['-F', join(dir, 'slapd.d'), '-h', `ldap://127.0.0.1:${port}/ ldaps://127.0.0.1:${ldapsPort}/`, '-d', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
	child.stderr?.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-4000)));
	try {
		await waitForPort(port, child, () => output);
		await waitForPort(ldapsPort, child, () => output);
	} catch (error) {
		child.kill('SIGKILL');
		rmSync(dir, { recursive: true, force: true });
		throw error;
	}
	const caPem = readFileSync(join(dir, 'cert.pem'), 'utf8');
	return {
		url: `ldap://127.0.0.1:${port}`,
		ldapsUrl: `ldaps://localhost:${ldapsPort}`,
		caPem,
		async stop() {
			if (child.exitCode === null) {
				const exited = new Promise((r) => child.once('exit', r));
				child.kill('SIGTERM');
				let timer: NodeJS.Timeout | undefined;
				await Promise.race([exited, new Promise((r) => (timer = setTimeout(r, 5000)))]);
				clearTimeout(timer);
				if (child.exitCode === null) child.kill('SIGKILL');
			}
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** Runs from the command line for manual checks: `npx tsx test/services/ldap/slapd.ts` starts one and waits. */
if (require.main === module) {
	void startSlapd().then((s) => {
		console.log(JSON.stringify({ url: s.url, ldapsUrl: s.ldapsUrl }));
		process.on('SIGINT', () => void s.stop().then(() => process.exit(0)));
	});
}
