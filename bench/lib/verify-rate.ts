/**
 * OTP verifies per second through the package's own OtpService, on the memory store and on Redis (own key
 * prefix, removed afterwards). Codes are generated first for distinct identifiers (each identifier may only
 * get a few codes per window), then every code is verified once — approved — with `concurrency` in flight,
 * as concurrent executions would.
 */
import { randomBytes } from 'node:crypto';
import { otpServiceFor, resetOtpStores, type OtpStoreCredential } from '../../lib/otp';

export interface VerifyRate {
	store: 'memory' | 'redis';
	verifies: number;
	approved: number;
	seconds: number;
	perSecond: number;
}

async function measure(credential: OtpStoreCredential, count: number, concurrency: number): Promise<VerifyRate> {
	const service = otpServiceFor(credential);
	const run = randomBytes(4).toString('hex');
	const pending: Array<{ identifier: string; code: string }> = [];
	for (let i = 0; i < count; i++) {
		const identifier = `+1650${String(i).padStart(7, '0')}`;
		const outcome = await service.generate({ identifier, purpose: `bench-${run}` });
		if (!outcome.ok) throw new Error(`generate refused (${outcome.limit})`);
		pending.push({ identifier, code: outcome.code });
	}
	let next = 0;
	let approved = 0;
	const t0 = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			for (;;) {
				const item = pending[next++];
				if (!item) return;
				const result = await service.verify({ identifier: item.identifier, purpose: `bench-${run}` }, item.code);
				if (result.approved) approved++;
			}
		}),
	);
	const seconds = (performance.now() - t0) / 1000;
	return { store: credential.storeType ?? 'memory', verifies: count, approved, seconds: Math.round(seconds * 100) / 100, perSecond: Math.round(count / seconds) };
}

export async function runOtpVerifyBench(options: { count?: number; concurrency?: number; redisHost?: string; redisPort?: number } = {}): Promise<VerifyRate[]> {
	const count = options.count ?? Number(process.env.BENCH_OTP_VERIFIES ?? 5000);
	const concurrency = options.concurrency ?? 20;
	const pepper = randomBytes(32).toString('hex');
	const keyPrefix = `n8n-rc-bench-otp-${process.pid}-${Date.now().toString(36)}:`;
	const redisCredential: OtpStoreCredential = {
		pepper,
		storeType: 'redis',
		host: options.redisHost ?? '127.0.0.1',
		port: options.redisPort ?? 6379,
		database: 0,
		keyPrefix,
	};
	try {
		return [await measure({ pepper, storeType: 'memory' }, count, concurrency), await measure(redisCredential, count, concurrency)];
	} finally {
		await resetOtpStores();
		await dropKeys(redisCredential, keyPrefix);
	}
}

async function dropKeys(credential: OtpStoreCredential, prefix: string): Promise<void> {
	const { default: Redis } = await import('ioredis');
	const redis = new Redis({ host: credential.host, port: credential.port, db: credential.database, lazyConnect: true });
	try {
		await redis.connect();
		let cursor = '0';
		do {
			const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
			cursor = nextCursor;
			if (keys.length) await redis.del(...keys);
		} while (cursor !== '0');
	} finally {
		redis.disconnect();
	}
}
