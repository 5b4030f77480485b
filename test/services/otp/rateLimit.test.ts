/**
 * NIST SP 800-63B rev 4 §3.2.2 on both stores (memory, and real Redis with its own key prefix and a fake
 * clock handed to the scripts): consecutive failures per identifier never expire, survive resends, code
 * expiry and lockouts, grow the lockouts, and end verification at the ceiling until a success or an
 * administrator reset. The attacker here always knows the real code, so "wrong" really means counted.
 */
import { TOTP } from 'otpauth';
import { createTotpSecret, MAX_LOCKOUT_MS, parseSecret, Pepper, verifyTotp, type OtpPolicy, type VerifyOutcome } from '../../../lib/otp';
import { FAST, FIXTURES, PEPPER, redisFixture, type StoreFixture } from '../../pure/otp/helpers';

const alice = { identifier: '+16505550123', purpose: 'login' };
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const wrongCodeFor = (code: string) => code.slice(0, -1) + String((Number(code.slice(-1)) + 1) % 10);

interface Attack {
	/** Guesses that were compared with the code (reason "wrong"). */
	compared: number;
	/** Length of every lockout a failure started, in order (ms). */
	lockouts: number[];
	codes: number;
	resends: number;
	/** The last code issued (the attacker is assumed to know it, to show it no longer helps). */
	lastCode: string;
	ended: boolean;
}

/**
 * Guesses wrong for `who` until verification ends (or `stopAfter` compared guesses): two guesses per
 * code, then a resend; waits out every lockout and exhausted code on the store's clock.
 */
async function bruteForce(fx: StoreFixture, policy: Partial<OtpPolicy>, stopAfter = Infinity, who = alice): Promise<Attack> {
	const a: Attack = { compared: 0, lockouts: [], codes: 0, resends: 0, lastCode: '', ended: false };
	const full = { ...FAST, maxSends: 1000, ...policy };
	for (let round = 0; round < 2000 && !a.ended && a.compared < stopAfter; round++) {
		const g = await fx.service.generate(who, full);
		if (!g.ok) {
			if (g.limit === 'ended') a.ended = true;
			else await fx.advance((g.retryAfterSeconds ?? 0) * 1000 + 1000);
			continue;
		}
		a.codes++;
		if (g.resend) a.resends++;
		a.lastCode = g.code;
		for (let k = 0; k < 2 && a.compared < stopAfter; k++) {
			const r = await fx.service.verify(who, wrongCodeFor(g.code), policy);
			if (r.approved) throw new Error('a wrong code was approved');
			if (r.reason !== 'wrong') break;
			a.compared++;
			if (r.lockedUntil) a.lockouts.push(r.lockedUntil.getTime() - fx.clock());
			if (r.ended) a.ended = true;
		}
	}
	return a;
}

describe.each(FIXTURES)('NIST rate limiting on the %s store', (_name, make) => {
	let fx: StoreFixture;
	beforeEach(() => {
		fx = make();
	});
	afterEach(() => fx.close());

	it('100 consecutive failures across many codes, resends and lockouts end verification for good', async () => {
		const policy = { failureCeiling: 100 };
		const attack = await bruteForce(fx, policy);
		expect(attack.ended).toBe(true);
		expect(attack.compared).toBe(100);
		expect(attack.codes).toBeGreaterThanOrEqual(40);
		expect(attack.resends).toBeGreaterThanOrEqual(20);
		// A lockout every 5 failures before the 100th, each twice the one before (5 min first), at most a day.
		expect(attack.lockouts).toEqual(Array.from({ length: 19 }, (_, n) => Math.min(MAX_LOCKOUT_MS, 5 * MINUTE * 2 ** n)));

		// Even the right code is refused now, and nothing is sent any more.
		expect(await fx.service.verify(alice, attack.lastCode, policy)).toEqual({ approved: false, reason: 'too_many_attempts', ended: true });
		expect(await fx.service.generate(alice, { ...FAST, ...policy })).toEqual({ ok: false, limit: 'ended' });
		// Time does not re-open it: not the lockout, not a year.
		await fx.advance(400 * DAY);
		expect(await fx.service.generate(alice, { ...FAST, ...policy })).toEqual({ ok: false, limit: 'ended' });
		expect(await fx.service.failureStatus(alice.identifier, policy)).toEqual({ failures: 100, lockedUntil: null, ended: true, failuresLeft: 0 });
	});

	it('the count survives code expiry, resends and lockout periods, and never expires with time', async () => {
		const policy = { failureCeiling: 20 };
		const first = await bruteForce(fx, policy, 7);
		expect(first.compared).toBe(7);
		// Far past the lockout, the code's life and the old "forget after the lockout" hour.
		await fx.advance(30 * DAY);
		expect(await fx.service.failureStatus(alice.identifier)).toEqual({ failures: 7, lockedUntil: null, ended: false, failuresLeft: 13 });
		const second = await bruteForce(fx, policy);
		// Only the 13 left were compared: a patient attacker gets 20 guesses in total, not 20 per day.
		expect(second.compared).toBe(13);
		expect(second.ended).toBe(true);
	});

	it('the default rule: lockouts of 5, 10 and 20 minutes after 5, 10 and 15 failures, the end at 20', async () => {
		const attack = await bruteForce(fx, {});
		expect(attack.compared).toBe(20);
		expect(attack.lockouts).toEqual([5 * MINUTE, 10 * MINUTE, 20 * MINUTE]);
		expect(await fx.service.failureStatus(alice.identifier)).toMatchObject({ failures: 20, ended: true });
	});

	it('a lockout refuses the right code without counting it, and ends on its own', async () => {
		const policy = { maxAttempts: 10 };
		const g = await fx.service.generate(alice, { ...FAST, ...policy });
		if (!g.ok) throw new Error('limited');
		let fifth: VerifyOutcome | undefined;
		for (let i = 0; i < 5; i++) fifth = await fx.service.verify(alice, wrongCodeFor(g.code));
		expect(fifth).toEqual({ approved: false, reason: 'wrong', attemptsLeft: 5, lockedUntil: new Date(fx.clock() + 5 * MINUTE) });
		expect(await fx.service.verify(alice, g.code)).toEqual({ approved: false, reason: 'too_many_attempts', lockedUntil: new Date(fx.clock() + 5 * MINUTE) });
		expect(await fx.service.generate(alice, { ...FAST, ...policy })).toMatchObject({ ok: false, limit: 'locked', retryAfterSeconds: 300 });
		await fx.advance(5 * MINUTE);
		// The refused try spent no attempt: 5 of 10 are left and the right code passes.
		expect(await fx.service.verify(alice, g.code)).toEqual({ approved: true, verificationId: g.verificationId });
	});

	it('a success before the ceiling resets the count', async () => {
		const policy = { failureCeiling: 20 };
		const first = await bruteForce(fx, policy, 19);
		expect(first.compared).toBe(19);
		await fx.advance(DAY);
		const g = await fx.service.generate(alice, { ...FAST, ...policy });
		if (!g.ok) throw new Error(`limited: ${g.limit}`);
		expect(await fx.service.verify(alice, g.code, policy)).toMatchObject({ approved: true });
		expect(await fx.service.failureStatus(alice.identifier, policy)).toEqual({ failures: 0, lockedUntil: null, ended: false, failuresLeft: 20 });
		// A fresh budget of 20, not the one failure that was left.
		const second = await bruteForce(fx, policy);
		expect(second.compared).toBe(20);
	});

	it('the administrator reset re-opens verification (and says whether there was anything to reset)', async () => {
		expect(await fx.service.resetFailures(alice.identifier)).toBe(false);
		const policy = { failureCeiling: 10 };
		expect((await bruteForce(fx, policy)).ended).toBe(true);
		expect(await fx.service.resetFailures(alice.identifier)).toBe(true);
		expect(await fx.service.failureStatus(alice.identifier, policy)).toEqual({ failures: 0, lockedUntil: null, ended: false, failuresLeft: 10 });
		// The last code may still be running with its attempts used up; once it expired a new one is issued.
		await fx.advance(11 * MINUTE);
		const g = await fx.service.generate(alice, { ...FAST, ...policy });
		if (!g.ok) throw new Error(`limited: ${g.limit}`);
		expect(await fx.service.verify(alice, g.code, policy)).toMatchObject({ approved: true });
	});

	it('parallel wrong guesses never get more compared guesses than the ceiling', async () => {
		// No lockouts and a large per-code budget: only the ceiling stands between the flood and the code.
		const policy = { failureCeiling: 20, failuresPerLockout: 100, maxAttempts: 20 };
		let compared = 0;
		for (let round = 0; round < 4; round++) {
			await fx.advance(11 * MINUTE);
			const g = await fx.service.generate(alice, { ...FAST, ...policy });
			if (!g.ok) {
				expect(g.limit).toBe('ended');
				continue;
			}
			const results = await Promise.all(Array.from({ length: 60 }, () => fx.service.verify(alice, wrongCodeFor(g.code), policy)));
			compared += results.filter((r) => !r.approved && r.reason === 'wrong').length;
			expect(results.some((r) => r.approved)).toBe(false);
		}
		expect(compared).toBe(20);
	});

	it('parallel wrong guesses with lockouts: each burst stops at the lockout, the total at the ceiling', async () => {
		let compared = 0;
		for (let round = 0; round < 8; round++) {
			await fx.advance(DAY);
			const g = await fx.service.generate(alice, { ...FAST, maxAttempts: 20 });
			if (!g.ok) continue;
			const results = await Promise.all(Array.from({ length: 40 }, () => fx.service.verify(alice, wrongCodeFor(g.code))));
			const burst = results.filter((r) => !r.approved && r.reason === 'wrong').length;
			expect(burst).toBeLessThanOrEqual(5);
			compared += burst;
		}
		expect(compared).toBe(20);
		expect(await fx.service.failureStatus(alice.identifier)).toMatchObject({ failures: 20, ended: true });
	});

	it('malformed input and unknown codes count no failure', async () => {
		for (const input of ['12345é', '', 'abc', null]) await fx.service.verify(alice, input);
		await fx.service.verify(alice, '123456'); // no code was ever issued: unknown, nothing compared
		expect(await fx.service.failureStatus(alice.identifier)).toMatchObject({ failures: 0 });
	});

	describe('one counter per identifier for SMS codes and TOTP', () => {
		const pepper = new Pepper(PEPPER);
		let secret: string;
		const tokenAt = (ms: number) => TOTP.generate({ secret: parseSecret(secret)!, timestamp: ms });
		const wrongToken = (ms: number) => wrongCodeFor(tokenAt(ms));
		const totp = (token: string, rule = {}) => verifyTotp(fx.store, pepper, { identifier: alice.identifier, secret, token, nowMs: fx.clock(), ...rule });
		beforeEach(async () => {
			secret = (await createTotpSecret({ issuer: 'Acme', account: 'alice' })).secret;
		});

		it('failures on both routes add up to one ceiling', async () => {
			const rule = { failureCeiling: 20 };
			expect((await bruteForce(fx, rule, 10)).compared).toBe(10);
			let totpFailures = 0;
			for (let i = 0; i < 100; i++) {
				await fx.advance(DAY);
				const r = await totp(wrongToken(fx.clock()), rule);
				if (r.approved) throw new Error('approved');
				if (r.reason === 'wrong') totpFailures++;
				if (r.reason === 'too_many_attempts' && r.ended) break;
			}
			expect(totpFailures).toBe(10);
			expect(await totp(tokenAt(fx.clock()), rule)).toEqual({ approved: false, reason: 'too_many_attempts', ended: true });
			expect(await fx.service.generate(alice, FAST)).toEqual({ ok: false, limit: 'ended' });
			// One reset re-opens both.
			expect(await fx.service.resetFailures(alice.identifier)).toBe(true);
			expect(await totp(tokenAt(fx.clock()), rule)).toMatchObject({ approved: true });
		});

		it('a TOTP success resets the count that SMS failures built up', async () => {
			expect((await bruteForce(fx, {}, 4)).compared).toBe(4);
			expect(await totp(tokenAt(fx.clock()))).toMatchObject({ approved: true });
			expect(await fx.service.failureStatus(alice.identifier)).toMatchObject({ failures: 0 });
		});

		it('a new TOTP secret (re-enrolment) does not reset the count', async () => {
			for (let i = 0; i < 3; i++) await totp(wrongToken(fx.clock()));
			secret = (await createTotpSecret({ issuer: 'Acme', account: 'alice' })).secret;
			await totp(wrongToken(fx.clock()));
			expect(await fx.service.failureStatus(alice.identifier)).toMatchObject({ failures: 4 });
		});

		it('parallel wrong TOTP codes never get more compared guesses than the ceiling', async () => {
			const rule = { failureCeiling: 20, failuresPerLockout: 100 };
			const token = wrongToken(fx.clock());
			const results = await Promise.all(Array.from({ length: 80 }, () => totp(token, rule)));
			expect(results.filter((r) => !r.approved && r.reason === 'wrong')).toHaveLength(20);
			expect(results.filter((r) => !r.approved && r.reason === 'too_many_attempts')).toHaveLength(60);
		});
	});

	describe('a refused code spends no send budget of its destination phone', () => {
		const phone = '+16505550150';
		const userA = { identifier: 'user-a', purpose: 'login' };
		const userB = { identifier: 'user-b', purpose: 'login' };
		const policy = { ...FAST, maxSends: 2, failuresPerLockout: 100 };

		it('an exhausted code', async () => {
			const a = await fx.service.generate(userA, policy, false, phone);
			if (!a.ok) throw new Error('limited');
			for (let i = 0; i < 5; i++) await fx.service.verify(userA, wrongCodeFor(a.code), policy);
			for (let i = 0; i < 3; i++) expect(await fx.service.generate(userA, policy, false, phone)).toMatchObject({ ok: false, limit: 'attempts_exhausted' });
			// The phone has had one SMS, so another account may still send it one.
			expect(await fx.service.generate(userB, policy, false, phone)).toMatchObject({ ok: true, sendsInWindow: 1 });
			expect(await fx.service.generate({ identifier: 'user-c', purpose: 'login' }, policy, false, phone)).toMatchObject({ ok: false, limit: 'send_limit' });
		});

		it('a locked or ended identifier', async () => {
			const rule = { ...policy, failureCeiling: 3, failuresPerLockout: 2 };
			const a = await fx.service.generate(userA, rule, false, phone);
			if (!a.ok) throw new Error('limited');
			await fx.service.verify(userA, wrongCodeFor(a.code), rule);
			await fx.service.verify(userA, wrongCodeFor(a.code), rule);
			expect(await fx.service.generate(userA, rule, false, phone)).toMatchObject({ ok: false, limit: 'locked' });
			await fx.advance(6 * MINUTE);
			await fx.service.verify(userA, wrongCodeFor(a.code), rule);
			expect(await fx.service.generate(userA, rule, false, phone)).toEqual({ ok: false, limit: 'ended' });
			expect(await fx.service.generate(userB, rule, false, phone)).toMatchObject({ ok: true });
		});

		it("the identifier's own cooldown or send limit", async () => {
			const withCooldown = { ...policy, cooldownMs: 60_000, maxSends: 1 };
			expect(await fx.service.generate(userA, withCooldown, false, '+16505550160')).toMatchObject({ ok: true });
			// A again, now to `phone`: refused by A's cooldown (and then A's send limit), `phone` untouched.
			expect(await fx.service.generate(userA, withCooldown, false, phone)).toMatchObject({ ok: false, limit: 'cooldown' });
			await fx.advance(61_000);
			expect(await fx.service.generate(userA, withCooldown, false, phone)).toMatchObject({ ok: false, limit: 'send_limit' });
			expect(await fx.service.generate(userB, withCooldown, false, phone)).toMatchObject({ ok: true, sendsInWindow: 1 });
		});

		it('and a destination at its limit changes nothing for the identifier', async () => {
			for (const who of ['user-x', 'user-y']) expect(await fx.service.generate({ identifier: who, purpose: 'login' }, policy, false, phone)).toMatchObject({ ok: true });
			const a = await fx.service.generate(userA, policy, false, '+16505550161');
			if (!a.ok) throw new Error('limited');
			expect(await fx.service.generate(userA, policy, false, phone)).toMatchObject({ ok: false, limit: 'send_limit' });
			// A's running code was not replaced and A's own budget still has its second send.
			expect(await fx.service.generate(userA, policy, false, '+16505550162')).toMatchObject({ ok: true, resend: true, sendsInWindow: 2 });
		});
	});
});

describe('memory store: failure counts are never evicted', () => {
	it('a flood of other identifiers does not reset a count', async () => {
		const { MemoryOtpStore, OtpService } = await import('../../../lib/otp');
		let now = 1_700_000_000_000;
		const store = new MemoryOtpStore({ maxEntries: 50, now: () => now, sweepIntervalMs: 0 });
		const service = new OtpService(store, new Pepper(PEPPER));
		const g = await service.generate(alice, FAST);
		if (!g.ok) throw new Error('limited');
		for (let i = 0; i < 3; i++) await service.verify(alice, wrongCodeFor(g.code));
		for (let i = 0; i < 500; i++) await service.generate({ identifier: `flood-${i}`, purpose: 'login' }, FAST);
		now += 365 * DAY;
		store.sweep();
		expect(await service.failureStatus(alice.identifier)).toMatchObject({ failures: 3 });
		await store.close();
	});

	it('when the failure table is full, a new identity is refused before any comparison (fails closed)', async () => {
		const { MemoryOtpStore, OtpService } = await import('../../../lib/otp');
		const store = new MemoryOtpStore({ maxFailureRecords: 2, sweepIntervalMs: 0 });
		const service = new OtpService(store, new Pepper(PEPPER));
		const codes = new Map<string, string>();
		for (const id of ['a', 'b', 'c']) {
			const g = await service.generate({ identifier: id, purpose: 'login' }, FAST);
			if (!g.ok) throw new Error('limited');
			codes.set(id, g.code);
		}
		await service.verify({ identifier: 'a', purpose: 'login' }, wrongCodeFor(codes.get('a')!));
		await service.verify({ identifier: 'b', purpose: 'login' }, wrongCodeFor(codes.get('b')!));
		await expect(service.verify({ identifier: 'c', purpose: 'login' }, codes.get('c'))).rejects.toThrow(/Redis/);
		// Identities that already have a record keep working; a success frees its record for others.
		expect(await service.verify({ identifier: 'a', purpose: 'login' }, codes.get('a'))).toMatchObject({ approved: true });
		expect(await service.verify({ identifier: 'c', purpose: 'login' }, codes.get('c'))).toMatchObject({ approved: true, verificationId: expect.any(String) });
		await store.close();
	});
});

describe('redis store: where the count lives', () => {
	it('the failure record has no TTL while codes and send times keep theirs, and a success deletes it', async () => {
		const fx = FIXTURES[1][1]();
		try {
			const g = await fx.service.generate(alice, FAST);
			if (!g.ok) throw new Error('limited');
			await fx.service.verify(alice, wrongCodeFor(g.code));
			const { redis, prefix } = fx.store as unknown as { redis: import('ioredis').default; prefix: string };
			const keys = await redis.keys(`${prefix}*`);
			const failures = keys.filter((k) => k.endsWith(':failures'));
			expect(failures).toHaveLength(1);
			expect(await redis.pttl(failures[0])).toBe(-1);
			expect(await redis.hgetall(failures[0])).toEqual({ f: '1', l: '0' });
			for (const k of keys.filter((k) => !k.endsWith(':failures'))) expect(await redis.pttl(k)).toBeGreaterThan(0);
			expect(await fx.service.verify(alice, g.code)).toMatchObject({ approved: true });
			expect(await redis.exists(failures[0])).toBe(0);
		} finally {
			await fx.close();
		}
	});
});

describe('redis store: several n8n processes', () => {
	it('two connections guessing in parallel share one count and one ceiling', async () => {
		const Redis = (await import('ioredis')).default;
		const { OtpService, RedisOtpStore } = await import('../../../lib/otp');
		const fx = FIXTURES[1][1]();
		const other = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 1 });
		try {
			const { prefix } = fx.store as unknown as { prefix: string };
			const second = new OtpService(new RedisOtpStore(other, { keyPrefix: prefix, now: () => fx.clock() }), new Pepper(PEPPER));
			const policy = { failureCeiling: 20, failuresPerLockout: 100, maxAttempts: 20 };
			const g = await fx.service.generate(alice, { ...FAST, ...policy });
			if (!g.ok) throw new Error('limited');
			const guesses = Array.from({ length: 100 }, (_, i) => (i % 2 ? second : fx.service).verify(alice, wrongCodeFor(g.code), policy));
			const results = await Promise.all(guesses);
			expect(results.filter((r) => !r.approved && r.reason === 'wrong')).toHaveLength(20);
			expect(await second.failureStatus(alice.identifier, policy)).toMatchObject({ failures: 20, ended: true });
		} finally {
			await other.quit();
			await fx.close();
		}
	});

	it("on Redis's own clock (production), a lockout ends at Redis TIME + the lockout", async () => {
		const fx = redisFixture(true);
		try {
			const g = await fx.service.generate(alice, FAST);
			if (!g.ok) throw new Error('limited');
			let last: VerifyOutcome | undefined;
			for (let i = 0; i < 5; i++) last = await fx.service.verify(alice, wrongCodeFor(g.code));
			const { redis } = fx.store as unknown as { redis: import('ioredis').default };
			const [seconds, micros] = await redis.time();
			const redisNow = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
			const until = last && !last.approved ? last.lockedUntil?.getTime() : undefined;
			expect(until).toBeGreaterThan(redisNow + 4 * MINUTE);
			expect(until).toBeLessThanOrEqual(redisNow + 5 * MINUTE);
			expect(await fx.service.verify(alice, g.code)).toMatchObject({ approved: false, reason: 'too_many_attempts' });
		} finally {
			await fx.close();
		}
	});
});

describe('rule settings', () => {
	it('lockouts double from the first one, at most a day, none at the ceiling itself', async () => {
		const { lockoutAfter } = await import('../../../lib/otp');
		const rule = { failureCeiling: 100, lockoutMs: MINUTE, failuresPerLockout: 5 };
		expect([1, 4, 5, 6, 10, 15, 20].map((f) => lockoutAfter(f, rule))).toEqual([0, 0, MINUTE, 0, 2 * MINUTE, 4 * MINUTE, 8 * MINUTE]);
		expect(lockoutAfter(95, rule)).toBe(MAX_LOCKOUT_MS);
		expect(lockoutAfter(100, rule)).toBe(0);
	});

	it('refuses a ceiling above 100, no lockout step and lockouts outside 1 s to 24 h', async () => {
		const fx = FIXTURES[0][1]();
		await expect(fx.service.verify(alice, '123456', { failureCeiling: 101 })).rejects.toThrow(/Failure ceiling must be a whole number from 1 to 100/);
		await expect(fx.service.verify(alice, '123456', { failuresPerLockout: 0 })).rejects.toThrow(/Failures per lockout/);
		await expect(fx.service.generate(alice, { lockoutMs: 10 })).rejects.toThrow(/1 second to 24 hours/);
		await expect(fx.service.failureStatus(alice.identifier, { failureCeiling: 0 })).rejects.toThrow(/1 to 100/);
		await fx.close();
	});
});
