/** Zero-config queue mode: which Redis the package shares its state through, from the environment alone. */
import { redisPrefix, redisTarget } from '../../../lib/ringcentral/redis';

describe('redisTarget', () => {
	it('regular mode without N8N_RINGCENTRAL_REDIS_URL: nothing shared', () => {
		expect(redisTarget({ QUEUE_BULL_REDIS_HOST: 'redis' })).toBeUndefined();
	});

	it('N8N_RINGCENTRAL_REDIS_URL wins in any mode', () => {
		expect(redisTarget({ EXECUTIONS_MODE: 'queue', N8N_RINGCENTRAL_REDIS_URL: 'redis://r:6380/2', QUEUE_BULL_REDIS_HOST: 'other' })).toEqual({ kind: 'url', url: 'redis://r:6380/2' });
	});

	it("queue mode uses n8n's own QUEUE_BULL_REDIS_* settings", () => {
		expect(
			redisTarget({
				EXECUTIONS_MODE: 'queue',
				QUEUE_BULL_REDIS_HOST: 'redis.internal',
				QUEUE_BULL_REDIS_PORT: '6390',
				QUEUE_BULL_REDIS_DB: '3',
				QUEUE_BULL_REDIS_USERNAME: 'n8n',
				QUEUE_BULL_REDIS_PASSWORD: 'pw',
				QUEUE_BULL_REDIS_TLS: 'true',
			}),
		).toEqual({ kind: 'queue', options: { host: 'redis.internal', port: 6390, db: 3, username: 'n8n', password: 'pw', tls: {} } });
		expect(redisTarget({ EXECUTIONS_MODE: 'queue' })).toEqual({ kind: 'queue', options: { host: 'localhost', port: 6379, db: 0 } });
	});

	it('queue mode with cluster nodes connects to the cluster', () => {
		expect(redisTarget({ EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_CLUSTER_NODES: 'a:7000, b:7001' })).toMatchObject({
			kind: 'cluster',
			nodes: [
				{ host: 'a', port: 7000 },
				{ host: 'b', port: 7001 },
			],
		});
	});

	it("keys sit under the package's own prefix, beneath n8n's Bull prefix in zero-config queue mode", () => {
		expect(redisPrefix({ EXECUTIONS_MODE: 'queue', QUEUE_BULL_PREFIX: 'prod' })).toBe('prod:n8n-rc-sms:');
		expect(redisPrefix({ EXECUTIONS_MODE: 'queue' })).toBe('bull:n8n-rc-sms:');
		expect(redisPrefix({ N8N_RINGCENTRAL_REDIS_URL: 'redis://r' })).toBe('n8n-rc-sms:');
		expect(redisPrefix({ N8N_RINGCENTRAL_REDIS_PREFIX: 'mine:', EXECUTIONS_MODE: 'queue' })).toBe('mine:');
	});
});
