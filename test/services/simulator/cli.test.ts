/** The standalone simulator (used by the end-to-end harness and the benchmark) announces itself and stops cleanly. */
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

test('cli: prints one JSON line with the URL and credentials, serves the API, exits 0 on SIGTERM', async () => {
	const child = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'simulator', 'cli.ts'), '--port', '0', '--config', '{"limits":{"medium":1000}}'], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	try {
		const line = await new Promise<string>((resolve, reject) => {
			let buffer = '';
			child.stdout.on('data', (d: Buffer) => {
				buffer += d.toString();
				if (buffer.includes('\n')) resolve(buffer.split('\n')[0]);
			});
			child.once('exit', (code) => reject(new Error(`simulator exited early with ${code}`)));
		});
		const info = JSON.parse(line) as { url: string; clientId: string; clientSecret: string; jwt: string; smsNumbers: string[] };
		expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(info.jwt.split('.')).toHaveLength(3);
		expect(info.smsNumbers.length).toBeGreaterThan(0);

		const token = await fetch(`${info.url}/restapi/oauth/token`, {
			method: 'POST',
			headers: { Authorization: `Basic ${Buffer.from(`${info.clientId}:${info.clientSecret}`).toString('base64')}` },
			body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: info.jwt }),
		});
		expect(token.status).toBe(200);
		const config = (await (await fetch(`${info.url}/_sim/config`)).json()) as { limits: Record<string, number> };
		expect(config.limits).toMatchObject({ medium: 1000, light: 50 });
	} finally {
		if (child.exitCode === null) {
			const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			expect(await exited).toBe(0);
		}
	}
});
