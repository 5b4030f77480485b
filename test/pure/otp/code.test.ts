import { canonicalCode, generateCode, maskText, normalizeIdentifier, normalizePurpose, Pepper, renderMessage } from '../../../lib/otp';
import { MemoryOtpStore } from '../../../lib/otp';

describe('generateCode', () => {
	it('gives exactly the requested number of digits, leading zeros included', () => {
		for (let digits = 4; digits <= 10; digits++) expect(generateCode(digits)).toMatch(new RegExp(`^\\d{${digits}}$`));
		const codes = Array.from({ length: 2000 }, () => generateCode(4));
		expect(codes.some((c) => c.startsWith('0'))).toBe(true);
	});

	it('is uniform: each digit position stays close to 10% over 20,000 codes', () => {
		const counts = Array.from({ length: 6 }, () => new Array(10).fill(0));
		for (let i = 0; i < 20_000; i++) [...generateCode(6)].forEach((d, pos) => counts[pos][Number(d)]++);
		// Expected 2000 per cell, σ ≈ 42; ±250 is about 6σ.
		for (const row of counts) for (const c of row) expect(Math.abs(c - 2000)).toBeLessThan(250);
	});

	it('refuses lengths outside 4–10', () => {
		expect(() => generateCode(3)).toThrow(RangeError);
		expect(() => generateCode(11)).toThrow(RangeError);
	});
});

describe('canonicalCode', () => {
	it('accepts ASCII digits with the spaces or dashes people type', () => {
		expect(canonicalCode('123456')).toBe('123456');
		expect(canonicalCode(' 123 456 ')).toBe('123456');
		expect(canonicalCode('123-456')).toBe('123456');
	});
	it('takes a number only when the expected length is known (leading zeros)', () => {
		expect(canonicalCode(12345, 6)).toBe('012345');
		expect(canonicalCode(12345)).toBeUndefined();
	});
	it('refuses everything else', () => {
		for (const bad of ['12345é', '１２３４５６', '١٢٣٤٥٦', '123', '12345678901', 'x'.repeat(1 << 20), '', null, {}, NaN, -1]) {
			expect(canonicalCode(bad)).toBeUndefined();
		}
		expect(canonicalCode('1234567', 6)).toBeUndefined();
	});
});

describe('identifiers', () => {
	it('treats spellings of one phone number as one identifier', () => {
		const values = ['6505550123', '(650) 555-0123', '+1 650 555 0123', '+16505550123', '16505550123'].map((s) => normalizeIdentifier(s, { defaultCountry: 'US' }));
		for (const v of values) expect(v).toMatchObject({ ok: true, kind: 'phone', value: '+16505550123', masked: '+1650•••0123' });
	});
	it('case-folds text identifiers and keeps account numbers that are not phone numbers', () => {
		expect(normalizeIdentifier('  Alice@Example.COM ')).toMatchObject({ ok: true, kind: 'text', value: 'alice@example.com', masked: 'a•••@example.com' });
		expect(normalizeIdentifier('0000012')).toMatchObject({ ok: true, kind: 'text', value: '0000012' });
	});
	it('refuses empty, non-text and control characters; "phone" type demands a phone', () => {
		expect(normalizeIdentifier('')).toMatchObject({ ok: false });
		expect(normalizeIdentifier({})).toMatchObject({ ok: false });
		expect(normalizeIdentifier('a\u0000b')).toMatchObject({ ok: false });
		expect(normalizeIdentifier('alice', { type: 'phone' })).toMatchObject({ ok: false });
	});
	it('masks short and long text', () => {
		expect(maskText('abc')).toBe('•••');
		expect(maskText('account-12345678')).toBe('ac•••78');
	});
	it('normalises purposes and refuses silly ones', () => {
		expect(normalizePurpose(' Login ')).toBe('login');
		expect(normalizePurpose('')).toBe('default');
		expect(normalizePurpose('x'.repeat(65))).toBeUndefined();
	});
});

describe('pepper', () => {
	it('refuses a short pepper without echoing it', () => {
		expect.assertions(2);
		expect(() => new Pepper('hunter2')).toThrow(/openssl rand -hex 32/);
		try {
			new Pepper('hunter2');
		} catch (error) {
			expect((error as Error).message).not.toContain('hunter2');
		}
	});
	it('keys every hash: another pepper gives other subjects and code hashes', () => {
		const a = new Pepper('a'.repeat(32));
		const b = new Pepper('b'.repeat(32));
		expect(a.subject('alice', 'login')).not.toBe(b.subject('alice', 'login'));
		expect(a.codeHash('s', '123456')).not.toBe(b.codeHash('s', '123456'));
		expect(a.subject('alice', 'login')).toMatch(/^[0-9a-f]{64}$/);
	});
	it('seals and unseals a code only for the same subject and pepper', () => {
		const a = new Pepper('a'.repeat(32));
		const sealed = a.seal('subject-1', '123456');
		expect(sealed).not.toContain('123456');
		expect(a.unseal('subject-1', sealed)).toBe('123456');
		expect(a.unseal('subject-2', sealed)).toBeUndefined();
		expect(new Pepper('b'.repeat(32)).unseal('subject-1', sealed)).toBeUndefined();
	});
});

describe('renderMessage', () => {
	it('fills code and minutes and insists on {code}', () => {
		expect(renderMessage('Your code is {code}. It expires in {minutes} minutes.', { code: '012345', minutes: 10 })).toBe('Your code is 012345. It expires in 10 minutes.');
		expect(() => renderMessage('No code here', { code: '1', minutes: 1 })).toThrow(/\{code\}/);
	});
});

describe('memory store bounds', () => {
	it('sweeps expired entries and never grows past its cap', async () => {
		let now = 0;
		const store = new MemoryOtpStore({ maxEntries: 100, now: () => now, sweepIntervalMs: 0 });
		const base = { codeHash: 'ab', verificationId: 'v', lifetimeMs: 1000, maxAttempts: 5, maxSends: 5, sendWindowMs: 1000, cooldownMs: 0, reuseActiveCode: false, failureCeiling: 10, lockoutMs: 1000 };
		for (let i = 0; i < 250; i++) await store.issue({ ...base, identity: `i${i}`, subject: `s${i}` });
		expect(store.size).toBe(100);
		now += 60 * 60_000;
		expect(store.sweep()).toBe(100);
		expect(store.size).toBe(0);
		await store.close();
	});
});
