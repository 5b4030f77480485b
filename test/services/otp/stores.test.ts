/**
 * The security properties of otp-security.md, run against both stores: the same story must hold in one
 * process (memory) and across processes (Redis on 127.0.0.1:6379, with a unique key prefix).
 */
import { FAST, FIXTURES, redisFixture, type StoreFixture } from '../../pure/otp/helpers';

const alice = { identifier: '+16505550123', purpose: 'login' };

async function issueCode(fx: StoreFixture, policy = {}, who = alice): Promise<{ code: string; verificationId: string }> {
	const r = await fx.service.generate(who, { ...FAST, ...policy });
	if (!r.ok) throw new Error(`unexpectedly limited: ${r.limit}`);
	return { code: r.code, verificationId: r.verificationId };
}

function wrongCodeFor(code: string): string {
	return code.slice(0, -1) + String((Number(code.slice(-1)) + 1) % 10);
}

describe.each(FIXTURES)('%s store', (_name, make) => {
	let fx: StoreFixture;
	beforeEach(() => {
		fx = make();
	});
	afterEach(async () => {
		await fx.close();
	});

	it('approves the right code once, with the verification id from generate', async () => {
		const { code, verificationId } = await issueCode(fx);
		expect(code).toMatch(/^\d{6}$/);
		expect(await fx.service.verify(alice, code)).toEqual({ approved: true, verificationId });
		// Single use: the same code again is refused.
		expect(await fx.service.verify(alice, code)).toEqual({ approved: false, reason: 'unknown' });
	});

	it('50 concurrent verifications of the correct code give exactly one approval', async () => {
		const { code } = await issueCode(fx, { maxAttempts: 20 });
		const results = await Promise.all(Array.from({ length: 50 }, () => fx.service.verify(alice, code)));
		expect(results.filter((r) => r.approved)).toHaveLength(1);
		expect(results.filter((r) => !r.approved)).toHaveLength(49);
	});

	it('binds a code to identifier and purpose', async () => {
		const { code } = await issueCode(fx);
		expect(await fx.service.verify({ ...alice, purpose: 'password-reset' }, code)).toMatchObject({ approved: false, reason: 'unknown' });
		expect(await fx.service.verify({ ...alice, identifier: '+16505550124' }, code)).toMatchObject({ approved: false, reason: 'unknown' });
		expect(await fx.service.verify(alice, code)).toMatchObject({ approved: true });
	});

	it('binds a code to its binding context (amount/payee) when one is given', async () => {
		const r = await fx.service.generate({ ...alice, binding: 'amount=10.00;payee=ACME' }, FAST);
		if (!r.ok) throw new Error('limited');
		expect(await fx.service.verify({ ...alice, binding: 'amount=9999.00;payee=EVIL' }, r.code)).toMatchObject({ approved: false, reason: 'wrong' });
		expect(await fx.service.verify({ ...alice, binding: 'amount=10.00;payee=ACME' }, r.code)).toMatchObject({ approved: true });
	});

	it('counts attempts before comparing: after 5 wrong codes even the right one is refused', async () => {
		// No identifier lockout here (it would also start at 5 failures): this is the per-code budget alone.
		const rule = { failuresPerLockout: 100 };
		const { code } = await issueCode(fx);
		const wrong = wrongCodeFor(code);
		const left: Array<number | undefined> = [];
		for (let i = 0; i < 5; i++) {
			const r = await fx.service.verify(alice, wrong, rule);
			expect(r).toMatchObject({ approved: false, reason: 'wrong' });
			left.push(r.approved ? undefined : r.attemptsLeft);
		}
		expect(left).toEqual([4, 3, 2, 1, 0]);
		expect(await fx.service.verify(alice, code, rule)).toEqual({ approved: false, reason: 'too_many_attempts' });
	});

	it('a brute force of all 10,000 four-digit codes in parallel gets at most the attempt budget of guesses', async () => {
		const { code } = await issueCode(fx, { digits: 4, maxAttempts: 5, failureCeiling: 100 });
		const guesses = Array.from({ length: 10_000 }, (_, n) => String(n).padStart(4, '0'));
		const results = await Promise.all(guesses.map((g) => fx.service.verify(alice, g)));
		const compared = results.filter((r) => r.approved || r.reason === 'wrong');
		expect(compared.length).toBeLessThanOrEqual(5);
		// Whether one of the 5 compared guesses was right is luck (5 in 10,000); everything else was refused unseen.
		expect(results.filter((r) => r.approved).length).toBeLessThanOrEqual(1);
		expect(results.filter((r) => !r.approved && r.reason === 'too_many_attempts').length).toBeGreaterThanOrEqual(9_995);
		expect(code).toMatch(/^\d{4}$/);
	});

	it('a new code (resend) keeps the verification, its used attempts and the identifier failure count', async () => {
		const first = await issueCode(fx);
		for (let i = 0; i < 3; i++) await fx.service.verify(alice, wrongCodeFor(first.code));
		const second = await issueCode(fx);
		expect(second.verificationId).toBe(first.verificationId);
		// The old code is dead (if the new code happens to equal it, skip that check).
		if (second.code !== first.code) expect(await fx.service.verify(alice, first.code)).toMatchObject({ reason: 'wrong', attemptsLeft: 1 });
		else await fx.service.verify(alice, wrongCodeFor(first.code));
		// One attempt left on the new code, not five.
		expect(await fx.service.verify(alice, second.code)).toMatchObject({ approved: true });
	});

	it('the per-identifier failure count survives new verifications and stops at the ceiling', async () => {
		// Lockouts off (see the rate-limiting tests for them): the ceiling alone.
		const policy = { maxAttempts: 5, failureCeiling: 7, maxSends: 100, failuresPerLockout: 100 };
		const first = await issueCode(fx, policy);
		for (let i = 0; i < 5; i++) await fx.service.verify(alice, wrongCodeFor(first.code), policy);
		// An exhausted code blocks new codes until it expires...
		expect(await fx.service.generate(alice, { ...FAST, ...policy })).toMatchObject({ ok: false, limit: 'attempts_exhausted' });
		await expireCurrent(fx);
		// ...then a new verification starts with a fresh per-code budget but the same identifier count (5).
		const second = await issueCode(fx, policy);
		expect(second.verificationId).not.toBe(first.verificationId);
		await fx.service.verify(alice, wrongCodeFor(second.code), policy);
		expect(await fx.service.verify(alice, wrongCodeFor(second.code), policy)).toMatchObject({ reason: 'wrong', attemptsLeft: 3 });
		// 7 consecutive failures: verification has ended. The correct code is refused and no new code is issued.
		expect(await fx.service.verify(alice, second.code, policy)).toEqual({ approved: false, reason: 'too_many_attempts', ended: true });
		expect(await fx.service.generate(alice, { ...FAST, ...policy })).toEqual({ ok: false, limit: 'ended' });
	});

	it('send limits and the failure count are per identifier, shared by every purpose', async () => {
		const policy = { failureCeiling: 3 };
		await issueCode(fx, { maxSends: 2 });
		const reset = await issueCode(fx, { maxSends: 2 }, { ...alice, purpose: 'password-reset' });
		// A third purpose does not buy a third SMS.
		expect(await fx.service.generate({ ...alice, purpose: 'signup' }, { ...FAST, maxSends: 2 })).toMatchObject({ ok: false, limit: 'send_limit' });
		// Failures on one purpose count toward the lock of the identifier on another.
		for (let i = 0; i < 3; i++) await fx.service.verify({ ...alice, purpose: 'password-reset' }, wrongCodeFor(reset.code), { failureCeiling: policy.failureCeiling });
		expect(await fx.service.verify(alice, '000000', { failureCeiling: policy.failureCeiling })).toEqual({ approved: false, reason: 'too_many_attempts', ended: true });
	});

	it('a destination phone has its own send limit: new usernames cannot flood one number', async () => {
		const phone = '+16505550150';
		const policy = { ...FAST, maxSends: 3 };
		for (let i = 0; i < 3; i++) {
			expect(await fx.service.generate({ identifier: `user-${i}`, purpose: 'login' }, policy, false, phone)).toMatchObject({ ok: true });
		}
		expect(await fx.service.generate({ identifier: 'user-99', purpose: 'login' }, policy, false, phone)).toMatchObject({ ok: false, limit: 'send_limit' });
		// The same number as an identifier shares that budget.
		expect(await fx.service.generate({ identifier: phone, purpose: 'login' }, policy)).toMatchObject({ ok: false, limit: 'send_limit' });
		// Another destination is unaffected.
		expect(await fx.service.generate({ identifier: 'user-99', purpose: 'login' }, policy, false, '+16505550151')).toMatchObject({ ok: true });
	});

	it('ceiling above 100 is refused', async () => {
		await expect(fx.service.generate(alice, { failureCeiling: 101 })).rejects.toThrow(/1 to 100/);
	});

	it('a successful verify resets the failure count', async () => {
		const policy = { failureCeiling: 3, maxSends: 100 };
		const a = await issueCode(fx, policy);
		await fx.service.verify(alice, wrongCodeFor(a.code), policy);
		await fx.service.verify(alice, wrongCodeFor(a.code), policy);
		expect(await fx.service.verify(alice, a.code, policy)).toMatchObject({ approved: true });
		const b = await issueCode(fx, policy);
		await fx.service.verify(alice, wrongCodeFor(b.code), policy);
		await fx.service.verify(alice, wrongCodeFor(b.code), policy);
		expect(await fx.service.verify(alice, b.code, policy)).toMatchObject({ approved: true });
	});

	it('the store enforces expiry: a correct code after its lifetime is "expired", and attempts are not spent', async () => {
		const { code } = await issueCode(fx, { lifetimeMs: 300 });
		await fx.advance(450);
		expect(await fx.service.verify(alice, code)).toEqual({ approved: false, reason: 'expired' });
		expect(await fx.service.verify(alice, code)).toEqual({ approved: false, reason: 'unknown' });
	});

	it('limits sends per identifier and says when to retry', async () => {
		const policy = { maxSends: 3, sendWindowMs: 60_000 };
		for (let i = 0; i < 3; i++) await issueCode(fx, policy);
		const limited = await fx.service.generate(alice, { ...FAST, ...policy });
		expect(limited).toMatchObject({ ok: false, limit: 'send_limit' });
		if (!limited.ok) expect(limited.retryAfterSeconds).toBeGreaterThan(50);
		// Another identifier is not affected.
		await expect(issueCode(fx, policy, { identifier: 'bob', purpose: 'login' })).resolves.toBeDefined();
	});

	it('enforces the resend cooldown', async () => {
		await issueCode(fx, { cooldownMs: 60_000 });
		const r = await fx.service.generate(alice, { cooldownMs: 60_000 });
		expect(r).toMatchObject({ ok: false, limit: 'cooldown' });
	});

	it('"same code" policy re-sends the running code unchanged and keeps one verification', async () => {
		const policy = { resend: 'sameCode' as const };
		const a = await fx.service.generate(alice, { ...FAST, ...policy });
		const b = await fx.service.generate(alice, { ...FAST, ...policy });
		if (!a.ok || !b.ok) throw new Error('limited');
		expect(b).toMatchObject({ code: a.code, verificationId: a.verificationId, resend: true, sameCode: true });
		expect(await fx.service.verify(alice, a.code)).toMatchObject({ approved: true });
	});

	it('revoke after a failed delivery leaves no valid code', async () => {
		const r = await fx.service.generate(alice, FAST);
		if (!r.ok) throw new Error('limited');
		await r.revoke();
		expect(await fx.service.verify(alice, r.code)).toMatchObject({ approved: false, reason: 'unknown' });
	});

	it('malformed input is denied as malformed, never thrown, and spends no attempt', async () => {
		const { code } = await issueCode(fx);
		const inputs: unknown[] = ['12345é', '１２３４５６', '١٢٣٤٥٦', 'x'.repeat(1024 * 1024), '', '   ', null, undefined, 123456, {}, ['123456'], '12a456', '12345678901'];
		for (const input of inputs) {
			expect(await fx.service.verify(alice, input)).toEqual({ approved: false, reason: 'malformed' });
		}
		expect(await fx.service.verify(alice, code)).toMatchObject({ approved: true });
	});

	it('stores no plaintext code, phone number or identifier', async () => {
		const who = { identifier: '+16505550199', purpose: 'password-reset' };
		const { code } = await issueCode(fx, { resend: 'sameCode', digits: 8 }, who);
		await fx.service.verify(who, wrongCodeFor(code));
		const dump = await fx.dump();
		expect(dump.length).toBeGreaterThan(20);
		for (const secret of [code, '6505550199', '+16505550199', 'password-reset']) expect(dump).not.toContain(secret);
	});
});

/** Ends the running verification the way time would (a new generate then starts afresh). */
async function expireCurrent(fx: StoreFixture): Promise<void> {
	await fx.advance(11 * 60_000);
}

describe("redis store on Redis's own clock (TIME), as in production", () => {
	it('enforces expiry: a correct code after its lifetime is "expired"', async () => {
		const fx = redisFixture(true);
		try {
			const { code } = await issueCode(fx, { lifetimeMs: 300 });
			await fx.advance(450);
			expect(await fx.service.verify(alice, code)).toEqual({ approved: false, reason: 'expired' });
		} finally {
			await fx.close();
		}
	});
});

describe('redis store housekeeping', () => {
	it('every key it writes carries a TTL, so Redis itself forgets old records', async () => {
		const fx = FIXTURES[1][1]();
		try {
			await issueCode(fx);
			const { redis, prefix } = fx.store as unknown as { redis: import('ioredis').default; prefix: string };
			const keys = (await redis.keys(`${prefix}*`)).sort();
			// The identity record (send times, failures) and the code record, in one Cluster hash slot.
			expect(keys).toHaveLength(2);
			expect(keys[0]).toMatch(/^.*otp:\{[0-9a-f]{64}\}$/);
			expect(keys[1].startsWith(`${keys[0]}:`)).toBe(true);
			const [identityTtl, codeTtl] = await Promise.all(keys.map((k) => redis.pttl(k)));
			// Send window (10 min) for the identity; lifetime (10 min) + the grace for "expired" (15 min) for the code.
			expect(identityTtl).toBeGreaterThan(9 * 60_000);
			expect(identityTtl).toBeLessThanOrEqual(10 * 60_000);
			expect(codeTtl).toBeGreaterThan(20 * 60_000);
			expect(codeTtl).toBeLessThanOrEqual(25 * 60_000);
		} finally {
			await fx.close();
		}
	});
});
