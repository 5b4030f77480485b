/**
 * Bench (d): the "custom hosting" the recipe replaces — a bare Node.js HTTP service that takes
 * ManageEngine's GET `?mobileNumber=…&message=…`, logs in to RingCentral once (JWT), caches the token and
 * sends the SMS. No validation beyond adding "+", no pacing: the least code a careful admin would write.
 */
import http from 'node:http';

export interface ProxyOptions {
	serverUrl: string;
	clientId: string;
	clientSecret: string;
	jwt: string;
	from: string;
	port?: number;
}

export async function startBareProxy(options: ProxyOptions): Promise<{ url: string; close: () => Promise<void>; logins: () => number }> {
	let token: { value: string; expires: number } | undefined;
	let logins = 0;
	const basic = Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64');

	let pending: Promise<string> | undefined;

	// Simultaneous first requests share one login, as a careful hand-written service would.
	async function accessToken(): Promise<string> {
		if (token && token.expires > Date.now() + 60_000) return token.value;
		pending ??= login().finally(() => {
			pending = undefined;
		});
		return pending;
	}

	async function login(): Promise<string> {
		logins++;
		const response = await fetch(`${options.serverUrl}/restapi/oauth/token`, {
			method: 'POST',
			headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: options.jwt }),
		});
		const body = (await response.json()) as { access_token: string; expires_in: number };
		token = { value: body.access_token, expires: Date.now() + body.expires_in * 1000 };
		return token.value;
	}

	const server = http.createServer(async (req, res) => {
		try {
			const url = new URL(req.url ?? '/', 'http://localhost');
			const to = `+${(url.searchParams.get('mobileNumber') ?? '').replace(/\D/g, '')}`;
			const response = await fetch(`${options.serverUrl}/restapi/v1.0/account/~/extension/~/sms`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${await accessToken()}`, 'Content-Type': 'application/json' },
				body: JSON.stringify({ from: { phoneNumber: options.from }, to: [{ phoneNumber: to }], text: url.searchParams.get('message') ?? '' }),
			});
			await response.arrayBuffer();
			res.writeHead(response.ok ? 200 : 502, { 'Content-Type': 'text/plain' }).end(response.ok ? 'success' : 'failure');
		} catch {
			res.writeHead(502, { 'Content-Type': 'text/plain' }).end('failure');
		}
	});
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const address = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${address.port}`,
		close: () => new Promise((resolve) => server.close(() => resolve())),
		logins: () => logins,
	};
}
