/**
 * Runs bench (d), the bare Node.js proxy, in its own process — as the "custom hosting" would run — so it
 * does not share the benchmark client's event loop. Reads its settings from BENCH_RC_* env vars and prints
 * one JSON line `{url}` when listening.
 */
import { startBareProxy } from './proxy';

async function main(): Promise<void> {
	const need = (name: string) => {
		const value = process.env[name];
		if (!value) throw new Error(`${name} is not set`);
		return value;
	};
	const proxy = await startBareProxy({
		serverUrl: need('BENCH_RC_SERVER'),
		clientId: need('BENCH_RC_CLIENT_ID'),
		clientSecret: need('BENCH_RC_CLIENT_SECRET'),
		jwt: need('BENCH_RC_JWT'),
		from: need('BENCH_RC_FROM'),
		port: Number(process.env.BENCH_PROXY_PORT ?? 0),
	});
	process.stdout.write(`${JSON.stringify({ url: proxy.url })}\n`);
	const stop = () => void proxy.close().then(() => process.exit(0));
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
	process.stderr.write(`bench proxy failed: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
