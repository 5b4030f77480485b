import { TOTP } from 'otpauth';
import { createTotpSecret, parseSecret, Pepper, verifyTotp } from '../../../lib/otp';
import { FIXTURES, PEPPER, type StoreFixture } from './helpers';

const pepper = new Pepper(PEPPER);

describe('TOTP enrolment', () => {
	it('creates a 20-byte base32 secret, an otpauth URI with issuer and a PNG QR code', async () => {
		const e = await createTotpSecret({ issuer: 'Acme Mail', account: 'alice@acme.test' });
		expect(e.secret).toMatch(/^[A-Z2-7]{32}$/); // 20 bytes = 32 base32 characters, no padding
		expect(e.uri).toMatch(/^otpauth:\/\/totp\/Acme%20Mail:alice%40acme\.test\?/);
		const params = new URL(e.uri).searchParams;
		expect(params.get('secret')).toBe(e.secret);
		expect(params.get('issuer')).toBe('Acme Mail');
		expect(params.get('algorithm')).toBe('SHA1');
		expect(params.get('digits')).toBe('6');
		expect(params.get('period')).toBe('30');
		expect(e.qrPng.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
		expect(e.qrDataUrl).toBe(`data:image/png;base64,${e.qrPng.toString('base64')}`);
	});

	it('gives every enrolment a different secret', async () => {
		const a = await createTotpSecret({ issuer: 'Acme', account: 'a' });
		const b = await createTotpSecret({ issuer: 'Acme', account: 'a' });
		expect(a.secret).not.toBe(b.secret);
	});

	it('refuses a colon in issuer or account (it would corrupt the label)', async () => {
		await expect(createTotpSecret({ issuer: 'Ac:me', account: 'a' })).rejects.toThrow(/":"/);
	});

	it('parses secrets with spaces, lower case and padding, and refuses non-base32', () => {
		expect(parseSecret('jbsw y3dp ehpk 3pxp')).toBeDefined();
		expect(parseSecret('JBSWY3DPEHPK3PXP====')).toBeDefined();
		expect(parseSecret('not base32 at all!')).toBeUndefined();
		expect(parseSecret(42)).toBeUndefined();
	});
});

describe.each(FIXTURES)('TOTP verification on the %s store', (_name, make) => {
	let fx: StoreFixture;
	let secret: string;
	const t0 = 1_800_000_000_000; // a step boundary is irrelevant: we move by whole periods
	const tokenAt = (ms: number) => TOTP.generate({ secret: parseSecret(secret)!, timestamp: ms });
	beforeEach(async () => {
		fx = make();
		secret = (await createTotpSecret({ issuer: 'Acme', account: 'alice' })).secret;
	});
	afterEach(() => fx.close());

	const verify = (token: unknown, nowMs: number, identifier = 'alice') =>
		verifyTotp(fx.store, pepper, { identifier, secret, token, nowMs });

	it('accepts the current code and the codes one step either side, not two', async () => {
		expect(await verify(tokenAt(t0), t0)).toMatchObject({ approved: true });
		expect(await verify(tokenAt(t0 + 30_000), t0, 'bob')).toMatchObject({ approved: true });
		expect(await verify(tokenAt(t0 - 30_000), t0, 'carol')).toMatchObject({ approved: true });
		expect(await verify(tokenAt(t0 - 60_000), t0, 'dave')).toEqual({ approved: false, reason: 'wrong' });
		expect(await verify(tokenAt(t0 + 60_000), t0, 'erin')).toEqual({ approved: false, reason: 'wrong' });
	});

	it('refuses a time step that was already accepted, and older ones', async () => {
		expect(await verify(tokenAt(t0), t0)).toMatchObject({ approved: true });
		expect(await verify(tokenAt(t0), t0 + 5_000)).toEqual({ approved: false, reason: 'replayed' });
		expect(await verify(tokenAt(t0 - 30_000), t0 + 5_000)).toEqual({ approved: false, reason: 'replayed' });
		expect(await verify(tokenAt(t0 + 30_000), t0 + 30_000)).toMatchObject({ approved: true });
	});

	it('concurrent submissions of one code: exactly one approval', async () => {
		const token = tokenAt(t0);
		const results = await Promise.all(Array.from({ length: 50 }, () => verify(token, t0)));
		expect(results.filter((r) => r.approved)).toHaveLength(1);
	});

	it('five wrong codes start a lockout that refuses even the right code until it ends', async () => {
		const wrong = '000000' === tokenAt(t0) ? '000001' : '000000';
		for (let i = 0; i < 4; i++) expect(await verify(wrong, t0)).toEqual({ approved: false, reason: 'wrong' });
		const fifth = await verify(wrong, t0);
		expect(fifth).toMatchObject({ approved: false, reason: 'wrong', lockedUntil: expect.any(Date) });
		expect(await verify(tokenAt(t0), t0)).toMatchObject({ approved: false, reason: 'too_many_attempts', lockedUntil: expect.any(Date) });
		// The default first lockout is 5 minutes on the store's clock.
		await fx.advance(5 * 60_000 + 1000);
		const later = t0 + 5 * 60_000 + 1000;
		expect(await verify(tokenAt(later), later)).toMatchObject({ approved: true });
	});

	it('denies malformed tokens without throwing', async () => {
		for (const token of ['12345é', '', 'x'.repeat(1 << 20), 123456, null, '1234567']) {
			expect(await verify(token, t0)).toEqual({ approved: false, reason: 'malformed' });
		}
	});
});
