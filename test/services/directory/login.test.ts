/** Directory Login against a real OpenLDAP (slapd with ppolicy), started for this file. */
import { createServer, type Server, type Socket } from 'node:net';
import { directoryConfig, directoryLogin, testDirectory, userFilter, DirectoryError, type DirectoryCredential } from '../../../lib/directory';
import { LOCK_AFTER_FAILURES, PASSWORDS, SERVICE_DN, SERVICE_PASSWORD, SUFFIX, startSlapd, type Slapd } from '../ldap/slapd';

let slapd: Slapd;

beforeAll(async () => {
	slapd = await startSlapd();
}, 60_000);

afterAll(async () => {
	await slapd?.stop();
});

const credential = (over: Partial<DirectoryCredential> = {}): DirectoryCredential => ({
	url: slapd.url,
	bindDn: SERVICE_DN,
	bindPassword: SERVICE_PASSWORD,
	searchBase: SUFFIX,
	userFilter: '(&(objectClass=inetOrgPerson)(uid={username}))',
	...over,
});

const login = (username: unknown, password: unknown, over: Partial<DirectoryCredential> = {}, attributes = {}) =>
	directoryLogin(directoryConfig(credential(over)), username, password, attributes);

describe('RFC 4515 escaping', () => {
	it('turns filter syntax in a username into literal values', () => {
		expect(userFilter('(uid={username})', '*')).toBe('(uid=\\2a)');
		expect(userFilter('(uid={username})', 'a)(uid=*')).toBe('(uid=a\\29\\28uid=\\2a)');
		expect(userFilter('(cn={username})', 'back\\slash\u0000')).toBe('(cn=back\\5cslash\\00)');
		expect(userFilter('(|(uid={username})(mail={username}))', 'é')).toBe('(|(uid=é)(mail=é))');
	});

	it('refuses a template without {username} or that is not a filter', () => {
		expect(() => userFilter('(uid=alice)', 'x')).toThrow(/must contain \{username\}/);
		expect(() => userFilter('(uid={username}', 'x')).toThrow(/not an LDAP filter/);
	});
});

describe('directoryLogin against slapd', () => {
	it('approves the right password and returns DN, display name, mail and usernames', async () => {
		const outcome = await login('alice', PASSWORDS.alice);
		expect(outcome).toEqual({ ok: true, user: { dn: `uid=alice,ou=people,${SUFFIX}`, displayName: 'Alice Example', mail: 'alice@example.test', usernames: ['alice'] } });
	});

	it('hands back every value of the configured username attributes, and falls back to cn for the display name', async () => {
		const outcome = await login('robert', PASSWORDS.bob, {}, { usernames: ['uid', 'mail'] });
		expect(outcome).toEqual({ ok: true, user: { dn: `uid=bob,ou=people,${SUFFIX}`, displayName: 'Bob Builder', mail: 'bob@example.test', usernames: ['bob', 'robert', 'bob@example.test'] } });
	});

	it('trims the username but never the password', async () => {
		expect((await login('  alice ', PASSWORDS.alice)).ok).toBe(true);
		expect(await login('alice', ` ${PASSWORDS.alice}`)).toMatchObject({ ok: false, reason: 'wrong_password' });
	});

	it('denies a wrong password, an unknown user and a filter-injection attempt, each with its own reason', async () => {
		expect(await login('alice', 'not-her-password')).toMatchObject({ ok: false, reason: 'wrong_password' });
		expect(await login('nobody', 'whatever')).toMatchObject({ ok: false, reason: 'unknown_user' });
		// Unescaped, `*` would match every person and `alice)(uid=*` would match alice.
		expect(await login('*', PASSWORDS.alice)).toMatchObject({ ok: false, reason: 'unknown_user' });
		expect(await login('alice)(uid=*', PASSWORDS.alice)).toMatchObject({ ok: false, reason: 'unknown_user' });
		expect(await login('al*', PASSWORDS.alice)).toMatchObject({ ok: false, reason: 'unknown_user' });
	});

	it('refuses an empty password before contacting the server (an empty bind would be anonymous and succeed)', async () => {
		// A closed port proves nothing was contacted: a contact would be an "unavailable" error.
		const closed = directoryConfig(credential({ url: 'ldap://127.0.0.1:1' }));
		expect(await directoryLogin(closed, 'alice', '')).toMatchObject({ ok: false, reason: 'empty_password' });
		expect(await login('alice', '')).toMatchObject({ ok: false, reason: 'empty_password' });
	});

	it('denies malformed input without contacting the server', async () => {
		const closed = directoryConfig(credential({ url: 'ldap://127.0.0.1:1' }));
		for (const [u, p] of [
			['', 'x'],
			['   ', 'x'],
			[{ uid: 'alice' }, 'x'],
			['alice', 42],
			['ali\u0000ce', 'x'],
			['a'.repeat(257), 'x'],
			['alice', 'x'.repeat(1025)],
		] as Array<[unknown, unknown]>) {
			expect(await directoryLogin(closed, u, p)).toMatchObject({ ok: false, reason: 'malformed' });
		}
	});

	it('denies an account an administrator locked, even with its right password', async () => {
		expect(await login('carol', PASSWORDS.carol)).toMatchObject({ ok: false, reason: 'locked' });
		expect(await login('carol', 'wrong')).toMatchObject({ ok: false, reason: 'locked' });
	});

	it('reports the lock once the password policy locks an account after repeated failures', async () => {
		for (let i = 0; i < LOCK_AFTER_FAILURES; i++) expect(await login('dave', `wrong-${i}`)).toMatchObject({ reason: 'wrong_password' });
		expect(await login('dave', PASSWORDS.dave)).toMatchObject({ ok: false, reason: 'locked' });
	});

	it('never picks one of several matching entries', async () => {
		expect(await login('twin', PASSWORDS.twin)).toMatchObject({ ok: false, reason: 'ambiguous_user' });
	});

	it('denies when the right password finds no username to hand back', async () => {
		expect(await login('alice', PASSWORDS.alice, {}, { usernames: ['employeeNumber'] })).toMatchObject({ ok: false, reason: 'no_usernames' });
	});

	it('works over StartTLS and LDAPS with the server certificate as CA, and refuses an untrusted certificate', async () => {
		const startTls = { url: slapd.url.replace('127.0.0.1', 'localhost'), startTls: true, caCertificate: slapd.caPem };
		expect((await login('alice', PASSWORDS.alice, startTls)).ok).toBe(true);
		expect((await login('alice', PASSWORDS.alice, { url: slapd.ldapsUrl, caCertificate: slapd.caPem })).ok).toBe(true);
		await expect(login('alice', PASSWORDS.alice, { url: slapd.ldapsUrl })).rejects.toMatchObject({ kind: 'unavailable' });
		await expect(login('alice', PASSWORDS.alice, { ...startTls, caCertificate: undefined })).rejects.toMatchObject({ kind: 'unavailable' });
	});
});

describe('directory failures are errors, never denials', () => {
	it('an unreachable directory is "unavailable"', async () => {
		await expect(login('alice', PASSWORDS.alice, { url: 'ldap://127.0.0.1:1' })).rejects.toMatchObject({ name: 'DirectoryError', kind: 'unavailable' });
	});

	it('a server that accepts the connection but never answers times out as "unavailable"', async () => {
		const sockets: Socket[] = [];
		const silent: Server = createServer((socket) => void sockets.push(socket));
		await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
		const { port } = silent.address() as { port: number };
		try {
			await expect(login('alice', PASSWORDS.alice, { url: `ldap://127.0.0.1:${port}`, timeoutSeconds: 1 })).rejects.toMatchObject({ kind: 'unavailable' });
		} finally {
			for (const socket of sockets) socket.destroy();
			silent.close();
		}
	});

	it('a wrong service password or search base is "misconfigured"', async () => {
		await expect(login('alice', PASSWORDS.alice, { bindPassword: 'nope' })).rejects.toMatchObject({ kind: 'misconfigured' });
		await expect(login('alice', PASSWORDS.alice, { searchBase: `ou=nowhere,${SUFFIX}` })).rejects.toMatchObject({ kind: 'misconfigured' });
	});

	it('refuses a credential that would search anonymously or has no usable URL', () => {
		for (const bad of [{ bindPassword: '' }, { bindDn: '' }, { url: 'http://x' }, { url: 'nonsense' }, { searchBase: ' ' }, { userFilter: '(uid=alice)' }]) {
			expect(() => directoryConfig(credential(bad))).toThrow(DirectoryError);
		}
	});

	it('the credential test binds and finds the search base', async () => {
		await expect(testDirectory(directoryConfig(credential()))).resolves.toMatch(/bound as the service account/);
		await expect(testDirectory(directoryConfig(credential({ bindPassword: 'nope' })))).rejects.toMatchObject({ kind: 'misconfigured' });
	});
});
