/**
 * The opt-out list: numbers that texted STOP (or UNSUBSCRIBE, QUIT, CANCEL, END) and must not be texted
 * again until they text START. RingCentral Send consults it before every message (its *Refuse Opted-Out
 * Recipients* option, on by default), and the RingCentral node's Opt-Out operations write it.
 *
 * Where it lives:
 * - Redis when `N8N_RINGCENTRAL_REDIS_URL` is set or n8n runs in queue mode (then n8n's own Redis): one list
 *   for every main, webhook and worker process, surviving restarts as far as Redis persists.
 * - Otherwise a JSON file in n8n's user folder (`~/.n8n/ringcentral-sms-opt-outs.json`, or
 *   `N8N_RINGCENTRAL_OPT_OUT_FILE`): survives restarts of a single n8n process, which is the only process
 *   that exists without queue mode.
 * Not the workflow's static data: it is per workflow, saved only after successful production runs, and
 * concurrent runs overwrite it, so a STOP could be lost.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { redisPrefixFromEnv, redisUrlFromEnv } from '../redisEnv';

export interface OptOutRecord {
	/** E.164 */
	number: string;
	/** ISO time of the opt-out. */
	at: string;
	/** The word they texted (STOP, UNSUBSCRIBE, …) or who recorded it. */
	keyword?: string;
	/** Which of our numbers they texted. */
	receivedOn?: string;
}

export interface OptOutStore {
	readonly kind: 'redis' | 'file';
	get(number: string): Promise<OptOutRecord | undefined>;
	add(record: OptOutRecord): Promise<void>;
	/** True when the number was on the list. */
	remove(number: string): Promise<boolean>;
}

/** The words carriers and RingCentral treat as opt-out and opt-in. */
export const OPT_OUT_WORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE'];
export const OPT_IN_WORDS = ['START', 'UNSTOP', 'SUBSCRIBE', 'RESUME', 'CONTINUE', 'YES'];

class RedisOptOutStore implements OptOutStore {
	readonly kind = 'redis' as const;
	constructor(
		private readonly redis: Redis,
		private readonly prefix: string,
	) {}
	private key(number: string) {
		return `${this.prefix}optout:${number}`;
	}
	async get(number: string) {
		const raw = await this.redis.get(this.key(number));
		return raw ? (JSON.parse(raw) as OptOutRecord) : undefined;
	}
	async add(record: OptOutRecord) {
		await this.redis.set(this.key(record.number), JSON.stringify(record));
	}
	async remove(number: string) {
		return (await this.redis.del(this.key(number))) > 0;
	}
}

class FileOptOutStore implements OptOutStore {
	readonly kind = 'file' as const;
	private queue: Promise<unknown> = Promise.resolve();
	constructor(readonly file: string) {}

	private async read(): Promise<Record<string, OptOutRecord>> {
		try {
			return JSON.parse(await fs.readFile(this.file, 'utf8')) as Record<string, OptOutRecord>;
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
			throw new Error(`The opt-out list ${this.file} cannot be read (${(error as Error).message}); nothing is sent until it can.`);
		}
	}

	/** One change at a time, written to a temporary file and renamed, so a crash never leaves half a list. */
	private change(mutate: (list: Record<string, OptOutRecord>) => boolean): Promise<boolean> {
		const run = this.queue.then(async () => {
			const list = await this.read();
			const changed = mutate(list);
			if (!changed) return false;
			await fs.mkdir(path.dirname(this.file), { recursive: true });
			const temp = `${this.file}.${process.pid}.tmp`;
			await fs.writeFile(temp, JSON.stringify(list, null, 1), { mode: 0o600 });
			await fs.rename(temp, this.file);
			return true;
		});
		this.queue = run.catch(() => undefined);
		return run;
	}

	async get(number: string) {
		return (await this.read())[number];
	}
	async add(record: OptOutRecord) {
		await this.change((list) => {
			list[record.number] = record;
			return true;
		});
	}
	async remove(number: string) {
		return this.change((list) => {
			if (!(number in list)) return false;
			delete list[number];
			return true;
		});
	}
}

export function optOutFile(env: NodeJS.ProcessEnv = process.env): string {
	if (env.N8N_RINGCENTRAL_OPT_OUT_FILE?.trim()) return env.N8N_RINGCENTRAL_OPT_OUT_FILE.trim();
	const base = env.N8N_USER_FOLDER?.trim() || os.homedir();
	return path.join(base, '.n8n', 'ringcentral-sms-opt-outs.json');
}

const redisConnections = new Map<string, Redis>();
const fileStores = new Map<string, FileOptOutStore>();

export function optOutStore(env: NodeJS.ProcessEnv = process.env): OptOutStore {
	const url = redisUrlFromEnv(env);
	if (url) {
		let redis = redisConnections.get(url);
		if (!redis) {
			redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
			redis.on('error', () => undefined);
			redisConnections.set(url, redis);
		}
		return new RedisOptOutStore(redis, redisPrefixFromEnv(env));
	}
	const file = optOutFile(env);
	let store = fileStores.get(file);
	if (!store) {
		store = new FileOptOutStore(file);
		fileStores.set(file, store);
	}
	return store;
}

/** For tests. */
export async function resetOptOutStores(): Promise<void> {
	fileStores.clear();
	await Promise.all([...redisConnections.values()].map((r) => r.quit().catch(() => r.disconnect())));
	redisConnections.clear();
}
