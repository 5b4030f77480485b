/**
 * From the `otpStoreApi` credential to a ready store. Stores are process-wide singletons: every
 * execution in one n8n process must see the same counters, or limits and single use mean nothing.
 */
import { createHash } from 'node:crypto';
import Redis, { type RedisOptions } from 'ioredis';
import { OtpConfigError, Pepper, pepperProblem } from './crypto';
import { MemoryOtpStore } from './memoryStore';
import { RedisOtpStore } from './redisStore';
import { OtpService } from './service';
import type { OtpStore } from './types';

/** The fields of the `otpStoreApi` credential. */
export interface OtpStoreCredential {
	pepper?: string;
	storeType?: 'memory' | 'redis';
	host?: string;
	port?: number;
	username?: string;
	password?: string;
	database?: number;
	tls?: boolean;
	keyPrefix?: string;
}

let memoryStore: MemoryOtpStore | undefined;
const redisStores = new Map<string, RedisOtpStore>();

/** The one memory store of this process. */
function sharedMemoryStore(): MemoryOtpStore {
	memoryStore ??= new MemoryOtpStore();
	return memoryStore;
}

export function redisOptionsFrom(credential: OtpStoreCredential): RedisOptions {
	const port = Number(credential.port ?? 6379);
	const db = Number(credential.database ?? 0);
	if (!credential.host || !credential.host.trim()) throw new OtpConfigError('The OTP Store credential uses Redis but has no host.');
	if (!Number.isInteger(port) || port < 1 || port > 65535) throw new OtpConfigError(`The Redis port ${String(credential.port)} is not valid.`);
	if (!Number.isInteger(db) || db < 0) throw new OtpConfigError(`The Redis database ${String(credential.database)} is not valid.`);
	return {
		host: credential.host.trim(),
		port,
		db,
		username: credential.username || undefined,
		password: credential.password || undefined,
		tls: credential.tls ? { servername: credential.host.trim() } : undefined,
		connectTimeout: 5000,
		// A verify must fail (closed) quickly when Redis is gone rather than queue for minutes.
		maxRetriesPerRequest: 1,
		enableOfflineQueue: true,
	};
}

/**
 * Refuses a missing credential or an unusable pepper before any store is touched, with a sentence that
 * says what to change in the credential (never the pepper itself).
 */
function checkCredential(credential: OtpStoreCredential | null | undefined): OtpStoreCredential {
	if (!credential || typeof credential !== 'object') {
		throw new OtpConfigError('No OTP Store credential is set: select or create one (with a Pepper of at least 32 characters) in the node.');
	}
	const problem = pepperProblem(credential.pepper);
	if (problem !== undefined) throw new OtpConfigError(problem);
	return credential;
}

/** The store the credential points at; throws `OtpConfigError` for a missing credential or a weak pepper. */
export function storeFor(input: OtpStoreCredential | null | undefined): OtpStore {
	const credential = checkCredential(input);
	if ((credential.storeType ?? 'memory') === 'memory') return sharedMemoryStore();
	if (credential.storeType !== 'redis') throw new OtpConfigError(`Unknown OTP store type "${String(credential.storeType)}".`);
	const options = redisOptionsFrom(credential);
	const prefix = credential.keyPrefix ?? 'n8n-otp:';
	// The connection password is part of the cache key only as a hash.
	const key = createHash('sha256').update(JSON.stringify([options.host, options.port, options.db, options.username, options.password, !!options.tls, prefix])).digest('hex');
	let store = redisStores.get(key);
	if (!store) {
		const redis = new Redis(options);
		// Errors reach the calls that need Redis; an unhandled 'error' event would crash n8n.
		redis.on('error', () => undefined);
		store = new RedisOtpStore(redis, { keyPrefix: prefix, ownsConnection: true });
		redisStores.set(key, store);
	}
	return store;
}

/** Everything OTP Generate and OTP Verify need from the credential. */
export function otpServiceFor(input: OtpStoreCredential | null | undefined): OtpService {
	const credential = checkCredential(input);
	return new OtpService(storeFor(credential), new Pepper(credential.pepper));
}

/** For n8n's credential test: pepper strength and, for Redis, a PING. Never echoes secret values. */
export async function testOtpStoreCredential(input: OtpStoreCredential | null | undefined): Promise<{ status: 'OK' | 'Error'; message: string }> {
	try {
		const credential = checkCredential(input);
		if ((credential.storeType ?? 'memory') === 'memory') {
			return { status: 'OK', message: 'Pepper accepted. Memory store: works for a single n8n process only (use Redis for queue mode).' };
		}
		const redis = new Redis({ ...redisOptionsFrom(credential), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
		redis.on('error', () => undefined);
		try {
			await redis.connect();
			const pong = await redis.ping();
			return { status: 'OK', message: `Pepper accepted; Redis answered ${pong}.` };
		} finally {
			redis.disconnect();
		}
	} catch (error) {
		const message = error instanceof OtpConfigError ? error.message : `Redis could not be reached: ${(error as Error)?.message ?? 'unknown error'}`;
		return { status: 'Error', message };
	}
}

/** For tests: drop the shared stores and close their connections. */
export async function resetOtpStores(): Promise<void> {
	await memoryStore?.close();
	memoryStore = undefined;
	await Promise.all(Array.from(redisStores.values()).map((s) => s.close()));
	redisStores.clear();
}
