/** When the store is unreachable or the credential is wrong: fail closed, say why, never leak secrets. */
import { redisOptionsFrom, testOtpStoreCredential } from '../../../lib/otp/stores';
import { OtpService, Pepper, RedisOtpStore, resetOtpStores } from '../../../lib/otp';
import { OtpVerify } from '../../../nodes/OtpVerify/OtpVerify.node';
import Redis from 'ioredis';
import { PEPPER } from '../../pure/otp/helpers';
import { fakeContext } from '../../pure/otp/nodeContext';

afterAll(() => resetOtpStores());

describe('Redis unreachable', () => {
	it('verify rejects (the node fails the item) instead of approving', async () => {
		const redis = new Redis({ host: '127.0.0.1', port: 1, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
		redis.on('error', () => undefined);
		const service = new OtpService(new RedisOtpStore(redis, { keyPrefix: 'unused:' }), new Pepper(PEPPER));
		await expect(service.verify({ identifier: 'alice', purpose: 'login' }, '123456')).rejects.toThrow();
		redis.disconnect();
	});

	it('OTP Verify with continue-on-fail puts the failure on Denied with the error attached, never on Approved', async () => {
		const ctx = fakeContext({
			params: { identifier: 'alice', purpose: 'login', code: '123456', options: {} },
			credentials: { otpStoreApi: { pepper: PEPPER, storeType: 'redis', host: '127.0.0.1', port: 1, keyPrefix: 'unused:' } },
			continueOnFail: true,
		});
		const [denied, approved] = await new OtpVerify().execute.call(ctx);
		expect(approved).toHaveLength(0);
		expect(denied).toHaveLength(1);
		expect(denied[0].json).toMatchObject({ approved: false, reason: 'store_unavailable', error: expect.stringMatching(/OTP store failed/) });
		expect(denied[0].pairedItem).toEqual({ item: 0 });
	});
});

describe('credential test', () => {
	it('accepts a good pepper with the memory store', async () => {
		expect(await testOtpStoreCredential({ pepper: PEPPER, storeType: 'memory' })).toMatchObject({ status: 'OK' });
	});
	it('PINGs Redis', async () => {
		expect(await testOtpStoreCredential({ pepper: PEPPER, storeType: 'redis', host: '127.0.0.1', port: 6379 })).toEqual({ status: 'OK', message: 'Pepper accepted; Redis answered PONG.' });
	});
	it('explains a weak pepper without echoing it', async () => {
		const r = await testOtpStoreCredential({ pepper: 'letmein-letmein', storeType: 'memory' });
		expect(r.status).toBe('Error');
		expect(r.message).toMatch(/openssl rand -hex 32/);
		expect(r.message).not.toContain('letmein');
	});
	it('reports an unreachable Redis without the Redis password', async () => {
		const r = await testOtpStoreCredential({ pepper: PEPPER, storeType: 'redis', host: '127.0.0.1', port: 1, password: 'redis-secret-pw' });
		expect(r.status).toBe('Error');
		expect(r.message).toMatch(/Redis could not be reached/);
		expect(r.message).not.toContain('redis-secret-pw');
	});
	it('turns TLS, ACL user and database into ioredis options', () => {
		expect(redisOptionsFrom({ host: 'redis.example', port: 6380, username: 'otp', password: 'pw', database: 3, tls: true })).toMatchObject({
			host: 'redis.example',
			port: 6380,
			username: 'otp',
			password: 'pw',
			db: 3,
			tls: { servername: 'redis.example' },
		});
		expect(() => redisOptionsFrom({ host: '', port: 6379 })).toThrow(/no host/);
	});
});
