/**
 * Standalone simulator: `tsx simulator/cli.ts --port 18080 [--host 127.0.0.1] [--latency 50] [--config '<json>']`.
 * `--port 0` picks a free port; `--config` takes a partial SimConfig, e.g. '{"limits":{"medium":1000}}'.
 * Prints one JSON line `{url, clientId, clientSecret, jwt, …}` so scripts can parse it.
 */
import { SIM_DEFAULTS, startSimulator, type SimConfigPatch } from './index';

function arg(name: string): string | undefined {
	const args = process.argv.slice(2);
	const index = args.indexOf(`--${name}`);
	if (index >= 0) return args[index + 1];
	const inline = args.find((a) => a.startsWith(`--${name}=`));
	return inline?.slice(name.length + 3);
}

async function main(): Promise<void> {
	const port = Number(arg('port') ?? process.env.SIM_PORT ?? 18080);
	const latency = arg('latency');
	const rawConfig = arg('config');
	const config = rawConfig ? (JSON.parse(rawConfig) as SimConfigPatch) : {};
	const sim = await startSimulator({
		port,
		host: arg('host') ?? '127.0.0.1',
		latencyMs: latency !== undefined ? Number(latency) : undefined,
		config,
	});
	process.stdout.write(`${JSON.stringify({ ...SIM_DEFAULTS, url: sim.url })}\n`);
	let closing = false;
	const stop = () => {
		if (closing) return;
		closing = true;
		sim.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
	process.stderr.write(`RingCentral simulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
