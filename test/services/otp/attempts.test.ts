/** Login brute-force counting (lib/otp/attempts.ts) on both stores. */
import { Pepper, failureStatus, loginFailed, loginSucceeded, reserveLoginAttempt, resetSourceFailures, sourceKey } from '../../../lib/otp';
import { PEPPER, memoryFixture, redisFixture, type StoreFixture } from '../../pure/otp/helpers';

const pepper = new Pepper(PEPPER);
const rules = { user: { failuresPerLockout: 3, lockoutMs: 60_000, failureCeiling: 6 }, source: { failuresPerLockout: 4, lockoutMs: 60_000, failureCeiling: 8 } };

describe('sourceKey', () => {
	it('reads IPv4-mapped addresses as IPv4 and counts IPv6 per /64', () => {
		expect(sourceKey('::ffff:10.0.0.1')).toBe('10.0.0.1');
		expect(sourceKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
		expect(sourceKey('2001:DB8:1:2::99')).toBe('2001:db8:1:2::/64');
		expect(sourceKey('[2001:db8::1]')).toBe('2001:db8:0:0::/64');
	});
});

describe.each([
	['memory', memoryFixture],
	['redis', () => redisFixture()],
])('login attempts on the %s store', (_name, make) => {
	let f: StoreFixture;
	beforeEach(() => {
		f = make();
	});
	afterEach(async () => {
		await f.close();
	});

	it('reserves (counts) before the directory is asked and refuses once locked, without counting further', async () => {
		const subject = { identifier: 'mallory' };
		for (let i = 0; i < 3; i++) expect(await reserveLoginAttempt(f.store, pepper, subject, rules)).toEqual({ allowed: true });
		const refused = await reserveLoginAttempt(f.store, pepper, subject, rules);
		expect(refused).toMatchObject({ allowed: false, which: 'user' });
		expect((refused as { lockedUntil: Date }).lockedUntil).toBeInstanceOf(Date);
		expect((await failureStatus(f.store, pepper, 'mallory', rules.user)).failures).toBe(3);
		await f.advance(61_000);
		for (let i = 0; i < 3; i++) await reserveLoginAttempt(f.store, pepper, subject, rules);
		expect(await reserveLoginAttempt(f.store, pepper, subject, rules)).toEqual({ allowed: false, which: 'user', ended: true });
	});

	it('a success forgets the username count; the source count survives it', async () => {
		const subject = { identifier: 'alice', sourceIp: '198.51.100.7' };
		await reserveLoginAttempt(f.store, pepper, subject, rules);
		await loginFailed(f.store, pepper, subject, rules);
		await reserveLoginAttempt(f.store, pepper, subject, rules);
		await loginSucceeded(f.store, pepper, 'alice');
		expect((await failureStatus(f.store, pepper, 'alice')).failures).toBe(0);
		for (let i = 0; i < 3; i++) await loginFailed(f.store, pepper, subject, rules);
		expect(await reserveLoginAttempt(f.store, pepper, { identifier: 'bob', sourceIp: '198.51.100.7' }, rules)).toMatchObject({ allowed: false, which: 'source' });
		// Refused by the address: bob's own count was not touched.
		expect((await failureStatus(f.store, pepper, 'bob')).failures).toBe(0);
		expect(await resetSourceFailures(f.store, pepper, '198.51.100.7')).toBe(true);
		expect(await reserveLoginAttempt(f.store, pepper, { identifier: 'bob', sourceIp: '198.51.100.7' }, rules)).toEqual({ allowed: true });
	});

	it('of 20 parallel reservations only the failures before the lockout get through', async () => {
		const results = await Promise.all(Array.from({ length: 20 }, () => reserveLoginAttempt(f.store, pepper, { identifier: 'burst' }, rules)));
		expect(results.filter((r) => r.allowed)).toHaveLength(3);
	});
});
