/**
 * `npm run bench`: the ManageEngine template (a) side by side with what users would otherwise run — the naive
 * login-per-SMS flow (b), n8n's floor with a fixed token (c) and a bare Node.js proxy (d) — on the RingCentral
 * simulator with a fixed API latency. Prints a table, saves `bench/results/<stamp>.json` and SVG charts.
 *
 * Scale with env vars: BENCH_LATENCY_MS (80), BENCH_LEVELS ("1,20,50"), BENCH_REQUESTS ("50,600,1000", one per
 * level), BENCH_LOGIN_SMS (1000), BENCH_MEMORY_SMS (10000), BENCH_REALISTIC_SMS (12), BENCH_OTP (1 = run the OTP
 * verify benchmark too).
 */
import path from 'node:path';
import { startN8n, type N8nInstance } from '../test/e2e/harness';
import { ROOT, findN8nMainPid, rssMb, startTsx, type Child } from './lib/child';
import { runLoad, type LoadResult } from './lib/load';
import { latencyTable, writeCharts, writeResults, type TargetRow } from './lib/report';
import { SimControl, statsDelta, type SimDelta, type SimInfo } from './lib/sim';
import {
	TEMPLATE_CREDENTIAL_ID,
	cloneWorkflow,
	floorWorkflow,
	manageEnginePath,
	naiveWorkflow,
	rcCredential,
	templateWorkflow,
	webhookPath,
	type RcValues,
} from './lib/targets';
import { runOtpVerifyBench } from './lib/verify-rate';

const env = process.env;
const num = (name: string, fallback: number) => (Number.isFinite(Number(env[name])) && env[name] !== '' && env[name] !== undefined ? Number(env[name]) : fallback);
const LATENCY_MS = num('BENCH_LATENCY_MS', 80);
const LEVELS = (env.BENCH_LEVELS ?? '1,20,50').split(',').map(Number);
const REQUESTS = (env.BENCH_REQUESTS ?? '50,600,1000').split(',').map(Number);
const LOGIN_SMS = num('BENCH_LOGIN_SMS', 1000);
const MEMORY_SMS = num('BENCH_MEMORY_SMS', 10_000);
const MEMORY_STEP = 500;
const REALISTIC_SMS = num('BENCH_REALISTIC_SMS', 12);
const UNLIMITED = 1_000_000_000;

interface Target {
	key: string;
	label: string;
	baseUrl: string;
	path: (i: number) => string;
}

const log = (text: string) => process.stdout.write(`${text}\n`);

async function measure(sim: SimControl, target: Target, requests: number, concurrency: number): Promise<LoadResult & { sim: SimDelta }> {
	const before = await sim.stats();
	const result = await runLoad({ baseUrl: target.baseUrl, path: target.path, requests, concurrency });
	return { ...result, sim: statsDelta(before, await sim.stats()) };
}

async function main(): Promise<void> {
	const started = new Date();
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
			credentials: [rcCredential(TEMPLATE_CREDENTIAL_ID, 'RingCentral (bench)', rc), rcCredential('benchSecondUser1', 'RingCentral real', second)],
			env: {
				// Package limits high too (we measure software); n8n's defaults otherwise, pruning included.
				N8N_RINGCENTRAL_SMS_PER_MINUTE: String(UNLIMITED),
				N8N_RINGCENTRAL_LIGHT_PER_MINUTE: String(UNLIMITED),
				N8N_RINGCENTRAL_HEAVY_PER_MINUTE: String(UNLIMITED),
				EXECUTIONS_DATA_PRUNE: 'true',
				N8N_LOG_LEVEL: 'warn',
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
			...(template ? [{ key: 'a', label: 'ManageEngine template (this package)', baseUrl: base, path: (i: number) => manageEnginePath(webhookPath(template), i) }] : []),
			{ key: 'b', label: 'naive: Webhook + HTTP login per SMS', baseUrl: base, path: (i) => manageEnginePath(webhookPath(naive), i) },
			{ key: 'c', label: "n8n floor: Webhook + HTTP, fixed token", baseUrl: base, path: (i) => manageEnginePath(webhookPath(floor), i) },
			{ key: 'd', label: 'bare Node.js proxy (custom hosting)', baseUrl: proxyChild.info.url, path: (i) => manageEnginePath('proxy', i).replace('/webhook/proxy', '/') },
		];

		// 1. Logins per 1,000 SMS, from cold: (a) has not been called yet, so its one login is counted here.
		const logins: Record<string, { sms: number; jwtLogins: number; perThousand: number; failed: number }> = {};
		for (const target of targets) {
			const r = await measure(sim, target, LOGIN_SMS, 20);
			logins[target.key] = {
				sms: r.sim.smsAccepted,
				jwtLogins: r.sim.jwtLogins,
				perThousand: Math.round((r.sim.jwtLogins / Math.max(1, r.sim.smsAccepted)) * 1000 * 10) / 10,
				failed: r.failed,
			};
			log(`logins: ${target.key}) ${r.sim.jwtLogins} JWT logins for ${r.sim.smsAccepted} SMS (${r.failed} failed requests)`);
		}

		// 2. Latency and throughput per concurrency; the order rotates per level so drift on a shared machine
		// does not always hit the same target.
		const rows: TargetRow[] = targets.map((t) => ({ key: t.key, label: t.label, levels: {} }));
		const simChecks: Record<string, SimDelta> = {};
		for (const [li, concurrency] of LEVELS.entries()) {
			const requests = REQUESTS[li] ?? REQUESTS[REQUESTS.length - 1];
			const order = targets.map((_, i) => targets[(i + li) % targets.length]);
			for (const target of order) {
				const r = await measure(sim, target, requests, concurrency);
				const { sim: delta, ...load } = r;
				rows.find((row) => row.key === target.key)!.levels[concurrency] = load;
				simChecks[`${target.key}@${concurrency}`] = delta;
				log(`c=${concurrency} ${target.key}) p50 ${load.p50} ms p99 ${load.p99} ms ${load.throughput} SMS/s, ${load.failed} failed, simulator accepted ${delta.smsAccepted}`);
			}
		}

		// 3. Memory of the n8n process across MEMORY_SMS messages through the template (or the floor without it).
		const memTarget = targets[0];
		const memory: Array<[number, number]> = [];
		if (pid) {
			memory.push([0, rssMb(pid)]);
			for (let sent = 0; sent < MEMORY_SMS; ) {
				const step = Math.min(MEMORY_STEP, MEMORY_SMS - sent);
				await runLoad({ baseUrl: memTarget.baseUrl, path: (i) => memTarget.path(sent + i), requests: step, concurrency: 20 });
				sent += step;
				memory.push([sent, rssMb(pid)]);
			}
			log(`memory (${memTarget.key}): ${memory.map(([n, mb]) => `${n}:${mb}`).join(' ')} MB`);
		}

		// 4. Realistic limits (Auth 5/min, Medium 40/min, 5 sessions per user), second simulator user.
		await sim.configure({ limits: { light: 50, medium: 40, heavy: 10, auth: 5 }, maxSessionsPerUser: 5 });
		const realistic: Record<string, unknown> = {};
		const realTargets: Target[] = [
			...(templateReal ? [{ key: 'a', label: 'template', baseUrl: base, path: (i: number) => manageEnginePath(webhookPath(templateReal), i) }] : []),
			{ key: 'b', label: 'naive', baseUrl: base, path: (i) => manageEnginePath(webhookPath(naiveReal), i) },
		];
		for (const target of realTargets) {
			const r = await measure(sim, target, REALISTIC_SMS, 1);
			realistic[target.key] = { requests: REALISTIC_SMS, ok: r.ok, failed: r.failed, statuses: r.statuses, ...r.sim };
			log(`realistic limits ${target.key}) ${r.ok}/${REALISTIC_SMS} sent, ${r.sim.jwtLogins} logins, ${r.sim.rateLimited} answered 429 by RingCentral`);
		}

		// 5. OTP verifies per second (memory and Redis stores), in this process.
		const otp = env.BENCH_OTP === '0' ? undefined : await runOtpVerifyBench().catch((error: Error) => ({ error: error.message }));

		const table = latencyTable(rows, LEVELS);
		log(`\n${table}\n`);
		const floorRow = rows.find((r) => r.key === 'c');
		const templateRow = rows.find((r) => r.key === 'a');
		const ratios = templateRow && floorRow
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
		if (ratios) log(`template vs floor: ${JSON.stringify(ratios)}`);
		const result = {
			startedAt: started.toISOString(),
			finishedAt: new Date().toISOString(),
			machine: { cpus: require('node:os').cpus().length, node: process.version, n8n: n8n.install.version },
			settings: { latencyMs: LATENCY_MS, levels: LEVELS, requests: REQUESTS, loginSms: LOGIN_SMS, memorySms: MEMORY_SMS },
			targets: rows,
			simulatorPerRun: simChecks,
			loginsPer1000: logins,
			ratios,
			memory: { target: memTarget.key, pid, samples: memory },
			realistic,
			otp,
		};
		const dir = path.join(ROOT, 'bench', 'results');
		log(`saved ${writeResults(dir, stamp, result)}`);
		for (const f of writeCharts(dir, stamp, rows, LEVELS, memory)) log(`chart ${f}`);
	} finally {
		await n8n?.stop();
		for (const c of children.reverse()) await c.stop();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
