/**
 * `npm run bench`: the ManageEngine template (a) side by side with what users would otherwise run — the naive
 * login-per-SMS flow (b), n8n's floor with a fixed token (c) and a bare Node.js proxy (d) — on the RingCentral
 * simulator with a fixed API latency. Prints a table, saves `bench/results/<stamp>.json` and SVG charts.
 *
 * Scale with env vars: BENCH_LATENCY_MS (80), BENCH_LEVELS ("1,20,50"), BENCH_REQUESTS ("50,400,600", one per
 * level), BENCH_ROUNDS (1; the median of the rounds is reported), BENCH_WARMUP (30), BENCH_MEMORY_SMS (10000),
 * BENCH_MEMORY_CONCURRENCY (50), BENCH_REALISTIC_SMS (12), BENCH_OTP (0 skips), BENCH_OTP_VERIFIES (5000),
 * BENCH_LIMITS (0 skips bench/limits.ts, which has its own settings).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startN8n, type N8nInstance } from '../test/e2e/harness';
import { ROOT, findN8nMainPid, rssMb, startTsx, type Child } from './lib/child';
import { medianOf, runLoad, type LoadResult } from './lib/load';
import { latencyTable, writeCharts, writeResults, type TargetRow } from './lib/report';
import { SimControl, statsDelta, type SimDelta, type SimInfo } from './lib/sim';
import {
	TEMPLATE_CREDENTIAL_ID,
	callerCredentials,
	callerHeaders,
	cloneWorkflow,
	floorWorkflow,
	manageEnginePath,
	naiveWorkflow,
	rcCredential,
	templateWorkflow,
	webhookPath,
	type RcValues,
} from './lib/targets';

const env = process.env;
const num = (name: string, fallback: number) => (env[name] !== undefined && env[name] !== '' && Number.isFinite(Number(env[name])) ? Number(env[name]) : fallback);
const LATENCY_MS = num('BENCH_LATENCY_MS', 80);
const LEVELS = (env.BENCH_LEVELS ?? '1,20,50').split(',').map(Number);
const REQUESTS = (env.BENCH_REQUESTS ?? '50,400,600').split(',').map(Number);
const ROUNDS = Math.max(1, num('BENCH_ROUNDS', 1));
const WARMUP = num('BENCH_WARMUP', 30);
const MEMORY_SMS = num('BENCH_MEMORY_SMS', 10_000);
const MEMORY_CONCURRENCY = num('BENCH_MEMORY_CONCURRENCY', 50);
const MEMORY_STEP = 500;
const REALISTIC_SMS = num('BENCH_REALISTIC_SMS', 12);
const UNLIMITED = 1_000_000_000;

interface Target {
	key: string;
	label: string;
	baseUrl: string;
	path: (i: number) => string;
	headers?: Record<string, string>;
}

const log = (text: string) => process.stdout.write(`${text}\n`);

/** Every request of a target, for logins per 1,000 SMS: the simulator's counters summed over its runs. */
const perTarget = new Map<string, { requests: number; ok: number } & SimDelta>();
let requestOffset = 0;

async function measure(sim: SimControl, target: Target, requests: number, concurrency: number): Promise<LoadResult & { sim: SimDelta }> {
	const before = await sim.stats();
	// Every request goes to a number not used before in this run, so no duplicate window can interfere.
	const offset = requestOffset;
	requestOffset += requests;
	const result = await runLoad({ baseUrl: target.baseUrl, path: (i) => target.path(offset + i), headers: target.headers, requests, concurrency });
	const delta = statsDelta(before, await sim.stats());
	const sum = perTarget.get(target.key) ?? { requests: 0, ok: 0, jwtLogins: 0, refreshes: 0, tokenRequests: 0, smsAccepted: 0, rateLimited: 0, unauthorized: 0, sessionsEvicted: 0 };
	sum.requests += requests;
	sum.ok += result.ok;
	for (const key of Object.keys(delta) as Array<keyof SimDelta>) sum[key] += delta[key];
	perTarget.set(target.key, sum);
	if (delta.smsAccepted !== result.ok) log(`  note: ${target.key}) ${result.ok} successful replies but ${delta.smsAccepted} SMS accepted by the simulator`);
	return { ...result, sim: delta };
}

/** Linear trend of RSS over messages (MB per 1,000 SMS), fitted on the samples after the first quarter. */
function memoryTrend(samples: Array<[number, number]>): number {
	const points = samples.slice(Math.floor(samples.length / 4)).filter(([, mb]) => Number.isFinite(mb));
	if (points.length < 2) return NaN;
	const mx = points.reduce((s, [x]) => s + x, 0) / points.length;
	const my = points.reduce((s, [, y]) => s + y, 0) / points.length;
	const slope = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
	return Math.round(slope * 1000 * 100) / 100;
}

/** Runs bench/otp.ts (the OTP helper's benchmark) and returns what it saved. */
async function runOtpBench(): Promise<Record<string, any>> {
	const count = String(num('BENCH_OTP_VERIFIES', 5000));
	await new Promise<void>((resolve, reject) =>
		execFile(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'bench', 'otp.ts'), '--count', count], { cwd: ROOT }, (error) => (error ? reject(error) : resolve())),
	);
	return JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results', 'otp-latest.json'), 'utf8')) as Record<string, any>;
}

/** Runs bench/limits.ts (delivery ratio, learned limit, cluster, soak) and returns what it saved. */
async function runLimitsBench(): Promise<Record<string, any>> {
	await new Promise<void>((resolve, reject) =>
		execFile(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'bench', 'limits.ts')], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
			process.stdout.write(stdout);
			return error ? reject(error) : resolve();
		}),
	);
	return JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results', 'limits-latest.json'), 'utf8')) as Record<string, any>;
}

function summariseOtp(otp: Record<string, any>): string {
	if (!Array.isArray(otp.results)) return JSON.stringify(otp);
	return otp.results.map((r: any) => `${r.store} ${r.verifyApproved?.perSecond} verifies/s (approved), ${r.verifyDenied?.perSecond} (denied)`).join('; ');
}

async function main(): Promise<void> {
	const started = new Date();
	const loadAtStart = os.loadavg();
	const stamp = started.toISOString().replace(/[:]/g, '-').replace(/\..+$/, '');
	const children: Array<Child<unknown>> = [];
	let n8n: N8nInstance | undefined;
	try {
		// The simulator and the proxy run in their own processes, as they would in real life, so the load
		// generator's event loop measures them instead of competing with them.
		const simChild = await startTsx<SimInfo>('simulator/cli.ts', ['--port', '0', '--latency', String(LATENCY_MS)]);
		children.push(simChild);
		const info = simChild.info;
		const sim = new SimControl(info.url);
		// Throughput runs measure software, not RingCentral's quotas: lift every limit and the session cap.
		await sim.configure({ limits: { light: UNLIMITED, medium: UNLIMITED, heavy: UNLIMITED, auth: UNLIMITED }, maxSessionsPerUser: UNLIMITED });
		const rc: RcValues = {
			server: info.url,
			clientId: info.clientId,
			clientSecret: info.clientSecret,
			jwt: info.jwt,
			from: info.smsNumbers[0],
			token: await sim.accessToken(info.clientId, info.clientSecret, info.jwt),
		};
		const second = { ...rc, jwt: info.second.jwt, from: info.second.smsNumbers[0] };

		const template = templateWorkflow();
		const naive = naiveWorkflow(rc);
		const floor = floorWorkflow(rc);
		// Copies on the second simulator user for the realistic-limits demonstration (its own quota and sessions).
		const naiveReal = cloneWorkflow(naiveWorkflow(second), 'real');
		const templateReal = template ? cloneWorkflow(template, 'real', 'benchSecondUser1') : undefined;
		const workflows = [naive, floor, naiveReal, ...(template && templateReal ? [template, templateReal] : [])];
		log(`simulator ${info.url} (latency ${LATENCY_MS} ms); starting n8n with ${workflows.length} workflows${template ? '' : ' — ManageEngine template missing, (a) skipped'}`);
		n8n = await startN8n({
			workflows,
			credentials: [
				rcCredential(TEMPLATE_CREDENTIAL_ID, 'RingCentral (bench)', rc),
				rcCredential('benchSecondUser1', 'RingCentral real', second),
				...callerCredentials(template),
			],
			env: {
				// Package limits high too (we measure software); n8n's defaults otherwise, pruning included.
				N8N_RINGCENTRAL_SMS_PER_MINUTE: String(UNLIMITED),
				N8N_RINGCENTRAL_LIGHT_PER_MINUTE: String(UNLIMITED),
				N8N_RINGCENTRAL_HEAVY_PER_MINUTE: String(UNLIMITED),
				EXECUTIONS_DATA_PRUNE: 'true',
			},
		});
		const pid = findN8nMainPid(n8n.userFolder);
		log(`n8n ${n8n.install.version} at ${n8n.baseUrl} (pid ${pid ?? '?'}), ready in ${n8n.timings.ready}s`);

		const proxyChild = await startTsx<{ url: string }>('bench/proxy-cli.ts', [], {
			BENCH_RC_SERVER: rc.server,
			BENCH_RC_CLIENT_ID: rc.clientId,
			BENCH_RC_CLIENT_SECRET: rc.clientSecret,
			BENCH_RC_JWT: rc.jwt,
			BENCH_RC_FROM: rc.from,
		});
		children.push(proxyChild);

		const base = n8n.baseUrl;
		const targets: Target[] = [
			...(template
				? [{ key: 'a', label: 'ManageEngine template (this package)', baseUrl: base, path: (i: number) => manageEnginePath(webhookPath(template), i), headers: callerHeaders(template) }]
				: []),
			{ key: 'b', label: 'naive: Webhook + HTTP login per SMS', baseUrl: base, path: (i) => manageEnginePath(webhookPath(naive), i) },
			{ key: 'c', label: 'n8n floor: Webhook + HTTP, fixed token', baseUrl: base, path: (i) => manageEnginePath(webhookPath(floor), i) },
			{ key: 'd', label: 'bare Node.js proxy (custom hosting)', baseUrl: proxyChild.info.url, path: (i) => manageEnginePath('proxy', i).replace('/webhook/proxy', '/') },
		];

		// 0. Warm-up (JIT, connection pools, first logins); counted in the login figures, not in the latency table.
		for (const target of targets) {
			const r = await measure(sim, target, WARMUP, 5);
			log(`warm-up ${target.key}) ${r.ok}/${WARMUP} ok, ${r.sim.jwtLogins} JWT logins`);
		}

		// 1. Latency and throughput per concurrency; the order rotates per level and round so drift on a shared
		// machine does not always hit the same target.
		const rows: TargetRow[] = targets.map((t) => ({ key: t.key, label: t.label, levels: {} }));
		const runs: Record<string, LoadResult[]> = {};
		for (const [li, concurrency] of LEVELS.entries()) {
			const requests = REQUESTS[li] ?? REQUESTS[REQUESTS.length - 1];
			for (let round = 0; round < ROUNDS; round++) {
				const order = targets.map((_, i) => targets[(i + li + round) % targets.length]);
				for (const target of order) {
					const { sim: delta, ...load } = await measure(sim, target, requests, concurrency);
					(runs[`${target.key}@${concurrency}`] ??= []).push(load);
					log(`c=${concurrency} ${target.key}) p50 ${load.p50} ms p99 ${load.p99} ms ${load.throughput} SMS/s, ${load.failed} failed, ${delta.smsAccepted} SMS at the simulator, ${delta.jwtLogins} logins`);
				}
			}
			for (const row of rows) row.levels[concurrency] = medianOf(runs[`${row.key}@${concurrency}`]);
		}

		// 2. Memory of the n8n process across MEMORY_SMS messages through the template (or the floor without it).
		const memTarget = targets.find((t) => t.key === 'a') ?? targets.find((t) => t.key === 'c')!;
		const memory: Array<[number, number]> = [];
		let memoryLoad: LoadResult | undefined;
		if (pid) {
			memory.push([0, rssMb(pid)]);
			const chunks: LoadResult[] = [];
			for (let sent = 0; sent < MEMORY_SMS; ) {
				const step = Math.min(MEMORY_STEP, MEMORY_SMS - sent);
				const { sim: _delta, ...load } = await measure(sim, memTarget, step, MEMORY_CONCURRENCY);
				chunks.push(load);
				sent += step;
				memory.push([sent, rssMb(pid)]);
			}
			memoryLoad = medianOf(chunks);
			log(`memory (${memTarget.key}): ${memory.map(([n, mb]) => `${n}:${mb}`).join(' ')} MB`);
		}

		// 3. Realistic limits (Auth 5/min, Medium 40/min, 5 sessions per user), on the second simulator user.
		await sim.configure({ limits: { light: 50, medium: 40, heavy: 10, auth: 5 }, maxSessionsPerUser: 5 });
		const realistic: Record<string, unknown> = {};
		const realTargets: Target[] = [
			...(templateReal
				? [{ key: 'a', label: 'template', baseUrl: base, path: (i: number) => manageEnginePath(webhookPath(templateReal), i), headers: callerHeaders(templateReal) }]
				: []),
			{ key: 'b', label: 'naive', baseUrl: base, path: (i) => manageEnginePath(webhookPath(naiveReal), i) },
		];
		for (const target of realTargets) {
			const before = await sim.stats();
			const r = await runLoad({ baseUrl: target.baseUrl, path: (i) => target.path(900_000 + i), headers: target.headers, requests: REALISTIC_SMS, concurrency: 1 });
			const delta = statsDelta(before, await sim.stats());
			realistic[target.key] = { requests: REALISTIC_SMS, ok: r.ok, failed: r.failed, statuses: r.statuses, ...delta };
			log(`realistic limits ${target.key}) ${r.ok}/${REALISTIC_SMS} sent, ${delta.jwtLogins} logins, ${delta.rateLimited} answered 429 by RingCentral`);
		}

		// 4. OTP verifies per second (memory and Redis stores): the OTP benchmark, bench/otp.ts, in its own process.
		const otp = env.BENCH_OTP === '0' ? undefined : await runOtpBench().catch((error: Error) => ({ error: error.message }));
		if (otp) log(`OTP: ${summariseOtp(otp)}`);

		// 5. Rate limits: delivery ratio against the stated budget, learned limit, queue mode, soak with faults.
		const limits = env.BENCH_LIMITS === '0' ? undefined : await runLimitsBench().catch((error: Error) => ({ error: error.message }));

		const logins = Object.fromEntries(
			[...perTarget].map(([key, s]) => [key, { sms: s.smsAccepted, jwtLogins: s.jwtLogins, refreshes: s.refreshes, per1000: Math.round((s.jwtLogins / Math.max(1, s.smsAccepted)) * 1000 * 100) / 100 }]),
		);
		const floorRow = rows.find((r) => r.key === 'c');
		const templateRow = rows.find((r) => r.key === 'a');
		const ratios =
			templateRow && floorRow
				? Object.fromEntries(
						LEVELS.map((c) => [
							`c=${c}`,
							{
								p50VsFloor: Math.round((templateRow.levels[c].p50 / floorRow.levels[c].p50) * 100) / 100,
								throughputVsFloor: Math.round((templateRow.levels[c].throughput / floorRow.levels[c].throughput) * 100) / 100,
							},
						]),
					)
				: undefined;
		const rss = memory.map(([, mb]) => mb).filter(Number.isFinite);
		const memorySummary = {
			target: memTarget.key,
			pid,
			concurrency: MEMORY_CONCURRENCY,
			samples: memory,
			firstMb: rss[1] ?? rss[0],
			maxMb: Math.max(...rss),
			lastMb: rss[rss.length - 1],
			trendMbPer1000: memoryTrend(memory),
			load: memoryLoad,
		};

		log(`\n${latencyTable(rows, LEVELS)}\n`);
		log(`logins per 1,000 SMS: ${Object.entries(logins).map(([k, v]) => `${k}) ${v.per1000} (${v.jwtLogins} logins / ${v.sms} SMS)`).join('; ')}`);
		if (ratios) log(`template vs floor: ${JSON.stringify(ratios)}`);
		log(`n8n RSS over ${MEMORY_SMS} SMS via ${memTarget.key}): first ${memorySummary.firstMb} MB, max ${memorySummary.maxMb} MB, last ${memorySummary.lastMb} MB, trend ${memorySummary.trendMbPer1000} MB per 1,000 SMS`);
		const result = {
			startedAt: started.toISOString(),
			finishedAt: new Date().toISOString(),
			machine: { cpus: os.cpus().length, loadAverageAtStart: loadAtStart, loadAverageAtEnd: os.loadavg(), node: process.version, n8n: n8n.install.version },
			settings: { latencyMs: LATENCY_MS, levels: LEVELS, requests: REQUESTS, rounds: ROUNDS, warmup: WARMUP, memorySms: MEMORY_SMS },
			targets: rows,
			runs,
			loginsPer1000: logins,
			ratios,
			memory: memorySummary,
			realistic,
			otp,
			limits,
		};
		const dir = path.join(ROOT, 'bench', 'results');
		log(`saved ${writeResults(dir, stamp, result)}`);
		for (const f of writeCharts(dir, stamp, rows, LEVELS, memory, `simulator with ${LATENCY_MS} ms per API call, ${os.cpus().length} CPUs`)) log(`chart ${f}`);
	} finally {
		await n8n?.stop();
		for (const c of children.reverse()) await c.stop();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
