/**
 * Where this package's shared state lives in Redis, if anywhere: `N8N_RINGCENTRAL_REDIS_URL` first, else,
 * when n8n runs in queue mode, n8n's own `QUEUE_BULL_REDIS_*` settings (queue mode always has Redis).
 */
export function redisUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
	const own = env.N8N_RINGCENTRAL_REDIS_URL?.trim();
	if (own) return own;
	if (env.EXECUTIONS_MODE !== 'queue') return undefined;
	const host = env.QUEUE_BULL_REDIS_HOST || 'localhost';
	const port = env.QUEUE_BULL_REDIS_PORT || '6379';
	const db = env.QUEUE_BULL_REDIS_DB || '0';
	const user = env.QUEUE_BULL_REDIS_USERNAME ? encodeURIComponent(env.QUEUE_BULL_REDIS_USERNAME) : '';
	const password = env.QUEUE_BULL_REDIS_PASSWORD ? `:${encodeURIComponent(env.QUEUE_BULL_REDIS_PASSWORD)}` : '';
	const auth = user || password ? `${user}${password}@` : '';
	return `${env.QUEUE_BULL_REDIS_TLS === 'true' ? 'rediss' : 'redis'}://${auth}${host}:${port}/${db}`;
}

export function redisPrefixFromEnv(env: NodeJS.ProcessEnv = process.env): string {
	return env.N8N_RINGCENTRAL_REDIS_PREFIX ?? 'n8n-rc-sms:';
}
