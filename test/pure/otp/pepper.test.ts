/**
 * A missing or weak pepper is refused everywhere it can enter — the credential test, the store and the
 * service — with a sentence that says what to change in the credential and never the pepper itself.
 */
import { OtpConfigError, otpServiceFor, resetOtpStores, storeFor, testOtpStoreCredential, type OtpStoreCredential } from '../../../lib/otp';
import { PEPPER } from './helpers';

afterAll(() => resetOtpStores());

const weak: Array<[string, unknown, RegExp]> = [
	['missing', undefined, /has no Pepper/],
	['empty', '', /has no Pepper/],
	['only spaces', ' '.repeat(40), /has no Pepper/],
	['too short', 'correct-horse-battery', /too short: it needs at least 32 characters/],
	['short with padding', `  ${'k'.repeat(31)}  `, /too short/],
	['not text', 1234567890123456789012345678901234567890, /not text/],
];

describe.each(weak)('a %s pepper', (_what, pepper, reason) => {
	const credentials: OtpStoreCredential[] = [
		{ pepper: pepper as string, storeType: 'memory' },
		// Redis: refused before any connection is attempted (port 1 would otherwise fail differently).
		{ pepper: pepper as string, storeType: 'redis', host: '127.0.0.1', port: 1 },
	];

	it.each(credentials.map((c) => [c.storeType, c] as const))('is refused by the credential test (%s store) with the reason and the fix', async (_store, credential) => {
		const result = await testOtpStoreCredential(credential);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(reason);
		expect(result.message).toMatch(/Open the OTP Store credential and set Pepper to a random secret of at least 32 characters \(generate one with: openssl rand -hex 32\)/);
		if (typeof pepper === 'string' && pepper.trim()) expect(result.message).not.toContain(pepper.trim());
	});

	it.each(credentials.map((c) => [c.storeType, c] as const))('makes storeFor and otpServiceFor throw OtpConfigError (%s store)', (_store, credential) => {
		for (const build of [() => storeFor(credential), () => otpServiceFor(credential)]) {
			let thrown: unknown;
			try {
				build();
			} catch (error) {
				thrown = error;
			}
			expect(thrown).toBeInstanceOf(OtpConfigError);
			expect((thrown as Error).message).toMatch(reason);
			expect((thrown as Error).message).toMatch(/openssl rand -hex 32/);
			if (typeof pepper === 'string' && pepper.trim()) expect((thrown as Error).message).not.toContain(pepper.trim());
		}
	});
});

describe('no credential at all', () => {
	it.each([undefined, null])('%s is an OtpConfigError that says to select one', (credential) => {
		expect(() => storeFor(credential)).toThrow(OtpConfigError);
		expect(() => otpServiceFor(credential)).toThrow(/No OTP Store credential is set/);
	});
	it('the credential test says the same', async () => {
		expect(await testOtpStoreCredential(undefined)).toEqual({ status: 'Error', message: expect.stringMatching(/No OTP Store credential is set/) });
	});
});

describe('a good pepper', () => {
	it('is accepted (surrounding spaces trimmed)', async () => {
		expect(await testOtpStoreCredential({ pepper: ` ${PEPPER} `, storeType: 'memory' })).toMatchObject({ status: 'OK' });
		expect(otpServiceFor({ pepper: PEPPER })).toBeDefined();
	});
});
