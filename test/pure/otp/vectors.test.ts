import { HOTP, Secret, TOTP } from 'otpauth';
import { matchTotpStep, type TotpAlgorithm } from '../../../lib/otp';

describe('RFC 4226 Appendix D (HOTP, SHA-1, 6 digits)', () => {
	const secret = Secret.fromLatin1('12345678901234567890');
	const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
	it.each(expected.map((token, counter) => [counter, token]))('counter %i → %s', (counter, token) => {
		expect(HOTP.generate({ secret, counter: counter as number, digits: 6, algorithm: 'SHA1' })).toBe(token);
	});
});

describe('RFC 6238 Appendix B (TOTP, 8 digits, 30 s, per-hash seeds)', () => {
	const seeds: Record<TotpAlgorithm, string> = {
		SHA1: '12345678901234567890',
		SHA256: '12345678901234567890123456789012',
		SHA512: '1234567890'.repeat(6) + '1234',
	};
	const table: Array<[number, string, string, string]> = [
		[59, '94287082', '46119246', '90693936'],
		[1111111109, '07081804', '68084774', '25091201'],
		[1111111111, '14050471', '67062674', '99943326'],
		[1234567890, '89005924', '91819424', '93441116'],
		[2000000000, '69279037', '90698825', '38618901'],
		[20000000000, '65353130', '77737706', '47863826'],
	];
	const cases = table.flatMap(([time, sha1, sha256, sha512]) => [
		[time, 'SHA1', sha1],
		[time, 'SHA256', sha256],
		[time, 'SHA512', sha512],
	]) as Array<[number, TotpAlgorithm, string]>;

	it('uses seeds of 20, 32 and 64 bytes', () => {
		expect([seeds.SHA1.length, seeds.SHA256.length, seeds.SHA512.length]).toEqual([20, 32, 64]);
	});

	it.each(cases)('T=%i %s → %s', (time, algorithm, token) => {
		const secret = Secret.fromLatin1(seeds[algorithm]);
		expect(TOTP.generate({ secret, algorithm, digits: 8, period: 30, timestamp: time * 1000 })).toBe(token);
		// Our own matcher finds the same vector at exactly its step.
		expect(matchTotpStep(token, secret, { algorithm, digits: 8, period: 30 }, time * 1000, 1)).toBe(Math.floor(time / 30));
	});
});
