import Redis from 'ioredis';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { LocalRateLimiter, RedisRateLimiter, checkLimits, checkNumber, guardPolicy, parseAllowedCountries } from '../../../lib/guard';
import { normalizePhone } from '../../../lib/phone';

const reading = (e164: string) => {
	const p = parsePhoneNumberFromString(e164)!;
	return { e164: p.number, country: p.country, type: p.getType() };
};

describe('abuse guard: countries and number types', () => {
	const policy = guardPolicy({}, 'US');

	it('allows only the default country unless told otherwise; an unknown code is a configuration error', () => {
		expect(policy.allowedCountries).toEqual(['US']);
		expect(parseAllowedCountries('us, ca ,GB', 'US')).toEqual(['US', 'CA', 'GB']);
		expect(parseAllowedCountries('*', 'US')).toBe('*');
		expect(() => parseAllowedCountries('US, XX', 'US')).toThrow(/"XX"/);
	});

	it('refuses a number outside the allowed countries with the reason', () => {
		const r = checkNumber(reading('+4795678901'), policy);
		expect(r).toMatchObject({ ok: false, refusal: { status: 400, code: 'country-not-allowed' } });
		if (!r.ok) expect(r.refusal.reason).toMatch(/NO.*US/);
		expect(checkNumber(reading('+16505550123'), policy)).toEqual({ ok: true });
	});

	it('refuses premium-rate and the other default types; landlines only where certain', () => {
		const br = guardPolicy({ allowedCountries: 'BR, GB, US' }, 'US');
		expect(checkNumber(reading('+55900185204'), br)).toMatchObject({ ok: false, refusal: { code: 'number-type-refused' } });
		expect(checkNumber(reading('+449098790000'), br)).toMatchObject({ ok: false, refusal: { code: 'number-type-refused' } });
		const noLandlines = guardPolicy({ allowedCountries: 'GB, US', refusedTypes: ['FIXED_LINE'] }, 'US');
		expect(checkNumber(reading('+442079460000'), noLandlines)).toMatchObject({ ok: false, refusal: { code: 'number-type-refused' } });
		// The metadata cannot tell a US landline from a mobile: never refused as a landline.
		expect(reading('+16505550123').type).toBe('FIXED_LINE_OR_MOBILE');
		expect(checkNumber(reading('+16505550123'), noLandlines)).toEqual({ ok: true });
	});
});

describe('phone readings: never a guess', () => {
	it('a "+" that arrived as a space is a "+"', () => {
		expect(normalizePhone(' 4745678901', { defaultCountry: 'US' })).toMatchObject({ ok: true, e164: '+4745678901', country: 'NO' });
		expect(normalizePhone(' 4795678901', { defaultCountry: 'US' })).toMatchObject({ ok: true, e164: '+4795678901' });
	});

	it('digits valid in both readings: Allowed Countries decides, or it is refused naming both', () => {
		const both = normalizePhone('4795678901', { defaultCountry: 'US' });
		expect(both).toMatchObject({ ok: false, code: 'ambiguous' });
		if (!both.ok) expect(both.reason).toContain('+14795678901 (US) or +4795678901 (NO)');
		expect(normalizePhone('4795678901', { defaultCountry: 'US', allowedCountries: ['NO'] })).toMatchObject({ ok: true, e164: '+4795678901' });
		expect(normalizePhone('4795678901', { defaultCountry: 'US', allowedCountries: ['US'] })).toMatchObject({ ok: true, e164: '+14795678901' });
		expect(normalizePhone('4795678901', { defaultCountry: 'US', allowedCountries: ['US', 'NO'] })).toMatchObject({ ok: false, code: 'ambiguous' });
	});

	it('a separate country code with a number that repeats it: both Brazilian, so refused', () => {
		const r = normalizePhone('55900185204', { countryCallingCode: '55', allowedCountries: ['BR'] });
		expect(r).toMatchObject({ ok: false, code: 'ambiguous' });
		if (!r.ok) expect(r.readings?.map((x) => x.e164).sort()).toEqual(['+5555900185204', '+55900185204']);
	});

	it('a space after a list separator may be the separator: both readings are weighed', () => {
		expect(normalizePhone(' 6505550123', { defaultCountry: 'US', leadingSpace: 'maybePlus' })).toMatchObject({ ok: true, e164: '+16505550123' });
	});
});

describe('abuse guard: send limits', () => {
	const policy = { ...guardPolicy({}, 'US'), perDestination: { perMinute: 2, perHour: 3 }, perCaller: { perMinute: 0, perHour: 0 } };

	it('N a minute per destination, then 429 with a Retry-After; a refused request counts nothing', async () => {
		let now = 1_000_000;
		const limiter = new LocalRateLimiter(() => now);
		const take = () => checkLimits(policy, 's', { destinations: ['+16505550123'] }, limiter);
		expect(await take()).toEqual({ ok: true });
		expect(await take()).toEqual({ ok: true });
		const third = await take();
		expect(third).toMatchObject({ ok: false, refusal: { status: 429, code: 'rate-limited', retryAfterSeconds: 60 } });
		now += 61_000;
		expect(await take()).toEqual({ ok: true }); // the minute freed up; the hour has 3 now
		now += 61_000;
		expect(await take()).toMatchObject({ ok: false, refusal: { status: 429 } }); // hour full
		expect(await checkLimits(policy, 's', { destinations: ['+16505550124'] }, limiter)).toEqual({ ok: true });
		expect(await checkLimits(policy, 'other-scope', { destinations: ['+16505550123'] }, limiter)).toEqual({ ok: true });
	});

	it('per calling address', async () => {
		const limiter = new LocalRateLimiter();
		const p = { ...policy, perDestination: { perMinute: 0, perHour: 0 }, perCaller: { perMinute: 1, perHour: 0 } };
		expect(await checkLimits(p, 's', { destinations: ['+16505550123'], callerIp: '10.0.0.1' }, limiter)).toEqual({ ok: true });
		expect(await checkLimits(p, 's', { destinations: ['+16505550124'], callerIp: '10.0.0.1' }, limiter)).toMatchObject({ ok: false, refusal: { status: 429 } });
		expect(await checkLimits(p, 's', { destinations: ['+16505550124'], callerIp: '10.0.0.2' }, limiter)).toEqual({ ok: true });
	});

	describe('shared through Redis (two limiters = two processes)', () => {
		const prefix = `test-guard-${process.pid}-${Date.now()}:`;
		let a: Redis;
		let b: Redis;
		beforeAll(() => {
			a = new Redis('redis://127.0.0.1:6379/0');
			b = new Redis('redis://127.0.0.1:6379/0');
		});
		afterAll(async () => {
			const keys = await a.keys(`${prefix}*`);
			if (keys.length) await a.del(...keys);
			await a.quit();
			await b.quit();
		});

		it('the limit holds across processes, and stored keys hold no phone number', async () => {
			const one = new RedisRateLimiter(a, prefix);
			const two = new RedisRateLimiter(b, prefix);
			const dest = { destinations: ['+16505550123'] };
			expect(await checkLimits(policy, 's', dest, one)).toEqual({ ok: true });
			expect(await checkLimits(policy, 's', dest, two)).toEqual({ ok: true });
			expect(await checkLimits(policy, 's', dest, one)).toMatchObject({ ok: false, refusal: { status: 429 } });
			expect(await checkLimits(policy, 's', dest, two)).toMatchObject({ ok: false, refusal: { status: 429 } });
			const keys = await a.keys(`${prefix}*`);
			expect(keys.length).toBe(2);
			expect(keys.join(' ')).not.toContain('6505550123');
		});

		it('fails closed when Redis does not answer: 503, nothing sent', async () => {
			const dead = new Redis('redis://127.0.0.1:1/0', { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true, retryStrategy: () => null });
			dead.on('error', () => undefined);
			const r = await checkLimits(policy, 's', { destinations: ['+16505550123'] }, new RedisRateLimiter(dead, prefix));
			expect(r).toMatchObject({ ok: false, refusal: { status: 503, code: 'guard-unavailable' } });
			dead.disconnect();
		});
	});
});
