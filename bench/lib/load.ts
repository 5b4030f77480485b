/**
 * A closed-loop HTTP load generator: `concurrency` virtual callers each send their next request as soon as
 * the previous one is answered, like ManageEngine (or a pool of them) waiting for each SMS reply.
 *
 * Plain node:http with a keep-alive agent sized to the concurrency, so the generator itself adds as little
 * as possible and every target is measured with the same client.
 */
import http from 'node:http';

export interface LoadResult {
	requests: number;
	ok: number;
	failed: number;
	/** Status code → count, failures included (0 = network error). */
	statuses: Record<string, number>;
	wallMs: number;
	/** Successful requests per second over the wall time. */
	throughput: number;
	p50: number;
	p90: number;
	p99: number;
	mean: number;
	max: number;
}

export interface LoadOptions {
	/** Builds the path + query of request `i` (so every SMS goes to a distinct, valid number). */
	path: (i: number) => string;
	baseUrl: string;
	requests: number;
	concurrency: number;
	/** A reply counts as success when this returns true (default: 2xx). */
	isOk?: (status: number, body: string) => boolean;
	timeoutMs?: number;
	/** Sent with every request (e.g. the caller's Basic auth). */
	headers?: Record<string, string>;
}

export function percentile(sorted: number[], p: number): number {
	if (sorted.length === 0) return NaN;
	// Nearest-rank: the smallest value with at least p% of samples at or below it.
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

function once(agent: http.Agent, url: URL, timeoutMs: number, headers: Record<string, string>): Promise<{ status: number; body: string }> {
	return new Promise((resolve) => {
		const req = http.request(url, { method: 'GET', agent, timeout: timeoutMs, headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
			res.on('error', () => resolve({ status: 0, body: '' }));
		});
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', () => resolve({ status: 0, body: '' }));
		req.end();
	});
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
	const isOk = options.isOk ?? ((status) => status >= 200 && status < 300);
	const latencies: number[] = [];
	const statuses: Record<string, number> = {};
	let next = 0;
	let ok = 0;
	const started = performance.now();
	async function caller(): Promise<void> {
		for (;;) {
			const i = next++;
			if (i >= options.requests) return;
			const t0 = performance.now();
			const reply = await once(agent, new URL(options.path(i), options.baseUrl), options.timeoutMs ?? 120_000, options.headers ?? {});
			const ms = performance.now() - t0;
			statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
			if (isOk(reply.status, reply.body)) {
				ok++;
				latencies.push(ms);
			}
		}
	}
	await Promise.all(Array.from({ length: options.concurrency }, () => caller()));
	const wallMs = performance.now() - started;
	agent.destroy();
	latencies.sort((a, b) => a - b);
	const round = (n: number) => Math.round(n * 10) / 10;
	return {
		requests: options.requests,
		ok,
		failed: options.requests - ok,
		statuses,
		wallMs: Math.round(wallMs),
		throughput: round((ok / wallMs) * 1000),
		p50: round(percentile(latencies, 50)),
		p90: round(percentile(latencies, 90)),
		p99: round(percentile(latencies, 99)),
		mean: round(latencies.reduce((s, v) => s + v, 0) / (latencies.length || 1)),
		max: round(latencies[latencies.length - 1] ?? NaN),
	};
}

/** Several runs of the same measurement folded into one: the median of each figure, counts summed. */
export function medianOf(runs: LoadResult[]): LoadResult {
	if (runs.length === 1) return runs[0];
	const median = (values: number[]) => {
		const sorted = [...values].sort((a, b) => a - b);
		const mid = Math.floor(sorted.length / 2);
		return sorted.length % 2 ? sorted[mid] : Math.round(((sorted[mid - 1] + sorted[mid]) / 2) * 10) / 10;
	};
	const statuses: Record<string, number> = {};
	for (const r of runs) for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
	return {
		requests: runs.reduce((s, r) => s + r.requests, 0),
		ok: runs.reduce((s, r) => s + r.ok, 0),
		failed: runs.reduce((s, r) => s + r.failed, 0),
		statuses,
		wallMs: runs.reduce((s, r) => s + r.wallMs, 0),
		throughput: median(runs.map((r) => r.throughput)),
		p50: median(runs.map((r) => r.p50)),
		p90: median(runs.map((r) => r.p90)),
		p99: median(runs.map((r) => r.p99)),
		mean: median(runs.map((r) => r.mean)),
		max: Math.max(...runs.map((r) => r.max)),
	};
}
