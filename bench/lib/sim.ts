/** The simulator's control API (`/_sim/…`) as the benchmark uses it, over HTTP (it runs in its own process). */
import type { SimConfig, SimStats } from '../../simulator';

export interface SimInfo {
	url: string;
	clientId: string;
	clientSecret: string;
	jwt: string;
	smsNumbers: string[];
	second: { jwt: string; smsNumbers: string[] };
}

export class SimControl {
	constructor(readonly url: string) {}

	private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.url}${path}`, {
			method,
			headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`simulator ${method} ${path} → ${response.status}`);
		return (await response.json()) as T;
	}

	stats(): Promise<SimStats> {
		return this.call('GET', '/_sim/stats');
	}

	configure(patch: Partial<SimConfig>): Promise<SimConfig> {
		return this.call('POST', '/_sim/config', patch);
	}

	messages(to?: string): Promise<Array<{ id: string; to: string[]; text: string; from: string }>> {
		return this.call('GET', `/_sim/messages${to ? `?to=${encodeURIComponent(to)}` : ''}`);
	}

	/** One JWT login, as an admin would do by hand to paste a token into the floor flow. */
	async accessToken(clientId: string, clientSecret: string, jwt: string): Promise<string> {
		const response = await fetch(`${this.url}/restapi/oauth/token`, {
			method: 'POST',
			headers: {
				Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
				'Content-Type': 'application/x-www-form-urlencoded',
			},
			body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt }),
		});
		if (!response.ok) throw new Error(`simulator login → ${response.status}`);
		return ((await response.json()) as { access_token: string }).access_token;
	}
}

/** What changed between two stats snapshots, for the counters the benchmark reports. */
export function statsDelta(before: SimStats, after: SimStats) {
	return {
		jwtLogins: after.jwtLogins - before.jwtLogins,
		refreshes: after.refreshes - before.refreshes,
		tokenRequests: after.tokenRequests - before.tokenRequests,
		smsAccepted: after.smsAccepted - before.smsAccepted,
		rateLimited: after.rateLimited - before.rateLimited,
		unauthorized: after.unauthorized - before.unauthorized,
		sessionsEvicted: after.sessionsEvicted - before.sessionsEvicted,
	};
}
export type SimDelta = ReturnType<typeof statsDelta>;
