/** The Directory Login node against a real slapd, with brute-force counting in the OTP memory store. */
import { NodeOperationError } from 'n8n-workflow';
import { failureStatus, Pepper, resetOtpStores, storeFor } from '../../../lib/otp';
import { DirectoryLogin } from '../../../nodes/DirectoryLogin/DirectoryLogin.node';
import { PASSWORDS, SERVICE_DN, SERVICE_PASSWORD, SUFFIX, startSlapd, type Slapd } from '../ldap/slapd';
import { fakeContext } from '../../pure/otp/nodeContext';

let slapd: Slapd;
const PEPPER = 'directory-node-test-pepper-0123456789abcdef';
const otpStoreApi = { pepper: PEPPER, storeType: 'memory' };

beforeAll(async () => {
	slapd = await startSlapd();
}, 60_000);

afterAll(async () => {
	await slapd?.stop();
	await resetOtpStores();
});

function run(params: Record<string, unknown> | Array<Record<string, unknown>>, o: { url?: string; continueOnFail?: boolean } = {}) {
	const directoryApi = { url: o.url ?? slapd.url, bindDn: SERVICE_DN, bindPassword: SERVICE_PASSWORD, searchBase: SUFFIX, userFilter: '(uid={username})' };
	const withDefaults = (p: Record<string, unknown>) => ({ sourceIp: '', bruteForceProtection: true, ...p });
	const ctx = fakeContext({ params: Array.isArray(params) ? params.map(withDefaults) : withDefaults(params), credentials: { directoryApi, otpStoreApi }, continueOnFail: o.continueOnFail });
	return new DirectoryLogin().execute.call(ctx);
}

const status = (identifier: string) => failureStatus(storeFor(otpStoreApi as never), new Pepper(PEPPER), identifier);

describe('Directory Login node', () => {
	it('routes the right password to Approved with DN, display_name, mail and usernames, and nothing secret', async () => {
		const [denied, approved] = await run({ username: 'Alice', password: PASSWORDS.alice });
		expect(denied).toEqual([]);
		expect(approved).toEqual([
			{
				json: { approved: true, username: 'alice', dn: `uid=alice,ou=people,${SUFFIX}`, display_name: 'Alice Example', mail: 'alice@example.test', usernames: ['alice'] },
				pairedItem: { item: 0 },
			},
		]);
		expect(JSON.stringify(approved)).not.toContain(PASSWORDS.alice);
	});

	it('routes wrong password, unknown user, empty password and a locked account to Denied, each with its reason', async () => {
		const [denied, approved] = await run([
			{ username: 'alice', password: 'wrong' },
			{ username: 'nobody', password: 'whatever' },
			{ username: 'alice', password: '' },
			{ username: 'carol', password: PASSWORDS.carol },
		]);
		expect(approved).toEqual([]);
		expect(denied.map((d) => d.json.reason)).toEqual(['wrong_password', 'unknown_user', 'empty_password', 'locked']);
		expect(denied.map((d) => d.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(JSON.stringify(denied)).not.toContain(PASSWORDS.carol);
	});

	it('locks a username out after N failures, refuses even the right password, and a success resets the count', async () => {
		const rule = { options: { failuresPerLockout: 2 } };
		await run({ username: 'robert', password: 'wrong-1', ...rule });
		expect((await status('robert')).failures).toBe(1);
		await run({ username: 'robert', password: PASSWORDS.bob, ...rule });
		expect((await status('robert')).failures).toBe(0);
		await run([{ username: 'robert', password: 'wrong-2', ...rule }, { username: 'robert', password: 'wrong-3', ...rule }]);
		const [denied, approved] = await run({ username: 'ROBERT', password: PASSWORDS.bob, ...rule });
		expect(approved).toEqual([]);
		expect(denied[0].json).toMatchObject({ approved: false, reason: 'locked_out', which: 'user' });
		expect((await status('robert')).lockedUntil).toBeInstanceOf(Date);
	});

	it('counts unknown usernames too, so a lockout does not tell which accounts exist', async () => {
		const rule = { options: { failuresPerLockout: 2 } };
		await run([{ username: 'ghost', password: 'a', ...rule }, { username: 'ghost', password: 'b', ...rule }]);
		const [denied] = await run({ username: 'ghost', password: 'c', ...rule });
		expect(denied[0].json).toMatchObject({ reason: 'locked_out', which: 'user' });
	});

	it('locks a source IP out after N failures across different usernames', async () => {
		const rule = { sourceIp: '203.0.113.9', options: { sourceFailuresPerLockout: 3 } };
		await run(['u1', 'u2', 'u3'].map((username) => ({ username, password: 'x', ...rule })));
		const [denied, approved] = await run({ username: 'alice', password: PASSWORDS.alice, ...rule });
		expect(approved).toEqual([]);
		expect(denied[0].json).toMatchObject({ reason: 'locked_out', which: 'source' });
		// Another address is not affected.
		const [, ok] = await run({ username: 'alice', password: PASSWORDS.alice, sourceIp: '203.0.113.10' });
		expect(ok).toHaveLength(1);
	});

	it('splits a RADIUS-style password + code and leaves the count for the TOTP node to reset', async () => {
		const [, approved] = await run({ username: 'erin', password: `${PASSWORDS.erin}123456`, secondFactor: true, secondFactorDigits: 6 });
		expect(approved[0].json).toMatchObject({ approved: true, username: 'erin', totpCode: '123456' });
		expect((await status('erin')).failures).toBe(1);
		const [denied] = await run({ username: 'erin', password: `${PASSWORDS.erin}x654321`, secondFactor: true, secondFactorDigits: 6 });
		expect(denied[0].json).toMatchObject({ reason: 'wrong_password' });
		const [noCode] = await run({ username: 'erin', password: PASSWORDS.erin, secondFactor: true, secondFactorDigits: 6 });
		expect(noCode[0].json).toMatchObject({ reason: 'malformed' });
		const [malformed] = await run({ username: 'erin', password: '123456', secondFactor: true, secondFactorDigits: 6 });
		expect(malformed[0].json).toMatchObject({ reason: 'malformed' });
	});

	it('fails closed when the directory is down: an error, never Approved', async () => {
		const down = 'ldap://127.0.0.1:1';
		const [failed, approved] = await run({ username: 'alice', password: PASSWORDS.alice }, { url: down, continueOnFail: true });
		expect(approved).toEqual([]);
		expect(failed[0].json).toMatchObject({ approved: false, reason: 'directory_unavailable' });
		await expect(run({ username: 'alice', password: PASSWORDS.alice }, { url: down })).rejects.toBeInstanceOf(NodeOperationError);
	});

	it('works without brute-force protection and without an OTP Store', async () => {
		const directoryApi = { url: slapd.url, bindDn: SERVICE_DN, bindPassword: SERVICE_PASSWORD, searchBase: SUFFIX, userFilter: '(uid={username})' };
		const ctx = fakeContext({ params: { username: 'alice', password: PASSWORDS.alice, bruteForceProtection: false }, credentials: { directoryApi } });
		const [, approved] = await new DirectoryLogin().execute.call(ctx);
		expect(approved).toHaveLength(1);
	});
});
