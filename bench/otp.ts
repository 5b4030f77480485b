/**
 * OTP store benchmark: verifies per second on the memory store and on Redis, and how many Redis round
 * trips one verify costs — counted twice: on the client (every command ioredis writes to the socket) and
 * on the server (MONITOR lines from this client's connection; commands run inside a Lua script are
 * reported by MONITOR as "lua" and are not round trips).
 *
 *   npx tsx bench/otp.ts [--count 5000] [--concurrency 20] [--redis 127.0.0.1:6379]
 *
 * Prints a table and writes bench/results/otp-<time>.json and bench/results/otp-latest.json. Uses its own
 * key prefix on Redis and deletes its keys afterwards.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';
import { MemoryOtpStore, OtpService, Pepper, RedisOtpStore, type OtpStore } from '../lib/otp';

interface Phase {
	operations: number;
	seconds: number;
	perSecond: number;
}

interface StoreResult {
	store: 'memory' | 'redis';
	generate: Phase;
	verifyApproved: Phase;
	verifyDenied: Phase;
	approved: number;
	clientCommandsPerVerify?: number;
	serverRoundTripsPerVerify?: number;
	scriptCommandsPerVerify?: number;
}

function arg(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<Phase> {
	let next = 0;
	const t0 = performance.now();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			for (let i = next++; i < items.length; i = next++) await work(items[i]);
		}),
	);
	const seconds = (performance.now() - t0) / 1000;
	return { operations: items.length, seconds: Math.round(seconds * 1000) / 1000, perSecond: Math.round(items.length / seconds) };
}

const wrong = (code: string) => code.slice(0, -1) + String((Number(code.slice(-1)) + 1) % 10);

async function run(store: OtpStore, count: number, concurrency: number, counters?: { reset(): Promise<void>; verifyCounts(n: number): Promise<Partial<StoreResult>> }): Promise<StoreResult> {
	const service = new OtpService(store, new Pepper(randomBytes(32).toString('hex')));
	const purpose = `bench-${randomBytes(3).toString('hex')}`;
	const ids = Array.from({ length: count }, (_, i) => `+1650${String(i).padStart(7, '0')}`);
	const codes = new Map<string, string>();
	const generate = await pool(ids, concurrency, async (identifier) => {
		const r = await service.generate({ identifier, purpose });
		if (!r.ok) throw new Error(`generate refused: ${r.limit}`);
		codes.set(identifier, r.code);
	});
	// One wrong guess each (spends an attempt, leaves the code valid), then the right code.
	const verifyDenied = await pool(ids, concurrency, async (identifier) => {
		await service.verify({ identifier, purpose }, wrong(codes.get(identifier) as string));
	});
	await counters?.reset();
	let approved = 0;
	const verifyApproved = await pool(ids, concurrency, async (identifier) => {
		if ((await service.verify({ identifier, purpose }, codes.get(identifier))).approved) approved++;
	});
	const counts = counters ? await counters.verifyCounts(count) : {};
	return { store: store.kind, generate, verifyDenied, verifyApproved, approved, ...counts };
}

async function main(): Promise<void> {
	const count = Number(arg('count', '5000'));
	const concurrency = Number(arg('concurrency', '20'));
	const [host, port] = arg('redis', '127.0.0.1:6379').split(':');
	const results: StoreResult[] = [];

	const memory = new MemoryOtpStore({ sweepIntervalMs: 0 });
	results.push(await run(memory, count, concurrency));
	await memory.close();

	const prefix = `bench-otp-${process.pid}-${randomBytes(3).toString('hex')}:`;
	const redis = new Redis({ host, port: Number(port) });
	const monitorConn = new Redis({ host, port: Number(port), lazyConnect: true });
	try {
		await redis.ping();
		// Throughput first, without MONITOR (it slows Redis down).
		const throughput = await run(new RedisOtpStore(redis, { keyPrefix: prefix }), count, concurrency);

		// Then a smaller run that counts round trips.
		let clientCommands = 0;
		const send = redis.sendCommand.bind(redis);
		redis.sendCommand = ((command: Parameters<typeof send>[0], stream?: Parameters<typeof send>[1]) => {
			clientCommands++;
			return send(command, stream);
		}) as typeof redis.sendCommand;
		const clientId = String(await redis.client('ID'));
		const clientAddr = /addr=(\S+)/.exec(String(await redis.client('LIST', 'ID', clientId)))?.[1] ?? '';
		let fromClient = 0;
		let fromLua = 0;
		let monitoring = false;
		await monitorConn.connect();
		const monitor = await monitorConn.monitor();
		monitor.on('monitor', (_time: string, _args: string[], source: string) => {
			if (!monitoring) return;
			if (source === clientAddr || source.endsWith(clientAddr)) fromClient++;
			else if (source === 'lua') fromLua++;
		});
		const counted = await run(new RedisOtpStore(redis, { keyPrefix: `${prefix}count:` }), Math.min(count, 500), concurrency, {
			reset: async () => {
				// Let MONITOR lines of the previous phase arrive before counting starts.
				await new Promise((resolve) => setTimeout(resolve, 300));
				clientCommands = 0;
				fromClient = 0;
				fromLua = 0;
				monitoring = true;
			},
			verifyCounts: async (n) => {
				// MONITOR output trails the replies; a PING through our connection marks the end.
				await redis.ping();
				await new Promise((resolve) => setTimeout(resolve, 300));
				monitoring = false;
				return {
					clientCommandsPerVerify: Math.round(((clientCommands - 1) / n) * 100) / 100,
					serverRoundTripsPerVerify: Math.round(((fromClient - 1) / n) * 100) / 100,
					scriptCommandsPerVerify: Math.round((fromLua / n) * 100) / 100,
				};
			},
		});
		monitor.disconnect();
		results.push({
			...throughput,
			clientCommandsPerVerify: counted.clientCommandsPerVerify,
			serverRoundTripsPerVerify: counted.serverRoundTripsPerVerify,
			scriptCommandsPerVerify: counted.scriptCommandsPerVerify,
		});
	} finally {
		let cursor = '0';
		do {
			const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
			cursor = nextCursor;
			if (keys.length) await redis.del(...keys);
		} while (cursor !== '0');
		redis.disconnect();
		monitorConn.disconnect();
	}

	const report = { when: new Date().toISOString(), node: process.version, count, concurrency, results };
	console.log(`OTP store benchmark — ${count} identifiers, concurrency ${concurrency}, Node ${process.version}`);
	console.log('store   generate/s  verify(denied)/s  verify(approved)/s  approved  round trips/verify (client | server | in-script cmds)');
	for (const r of results) {
		const trips = r.store === 'redis' ? `${r.clientCommandsPerVerify} | ${r.serverRoundTripsPerVerify} | ${r.scriptCommandsPerVerify}` : '—';
		console.log(
			`${r.store.padEnd(7)} ${String(r.generate.perSecond).padStart(10)}  ${String(r.verifyDenied.perSecond).padStart(16)}  ${String(r.verifyApproved.perSecond).padStart(18)}  ${String(r.approved).padStart(8)}  ${trips}`,
		);
	}
	const dir = path.join(__dirname, 'results');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `otp-${report.when.replace(/[:.]/g, '-')}.json`);
	fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
	fs.writeFileSync(path.join(dir, 'otp-latest.json'), `${JSON.stringify(report, null, 2)}\n`);
	console.log(`written: ${path.relative(process.cwd(), file)}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
