/**
 * `npm run bench:limits` (also step 5 of `npm run bench`): how close the package sends to the budget
 * RingCentral states, with zero 429s and one login, in the real n8n — and what happens under faults.
 *
 * 1. Delivery ratio, one n8n process: a burst of 3× the limit through "Webhook → Send" (default settings).
 *    Baseline in the same run: a plain client that sends the same burst straight to the simulator and, like
 *    most clients, retries each 429 after Retry-After (up to 3 times).
 * 2. Limit learned from headers: the simulator states a higher limit; the same kind of burst follows it.
 * 3. Delivery ratio, main + 2 workers with nothing but n8n's queue settings.
 * 4. Soak: SMS through the ManageEngine template on main + webhook process + 2 workers while the simulator
 *    injects 429s, 5xx, dropped connections and token expiry, and one worker is killed and replaced. Every
 *    request must end delivered exactly once or with a failure reply; duplicates and RSS are reported.
 *
 * Delivery ratio = SMS accepted per window after the first window, divided by the stated limit:
 * ((N − limit) / (t_last − t_first)) × window / limit, from the simulator's acceptance times.
 *
 * Scale with env vars: BENCH_LIMIT (40), BENCH_WINDOW_S (60, RingCentral's; a shorter one runs faster but
 * measures n8n's own throughput as much as the pacing), BENCH_LEARNED_LIMIT (200), BENCH_SOAK (1000),
 * BENCH_SOAK_CONCURRENCY (20), BENCH_LIMITS_PARTS ("1,2,3,4").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../simulator';
import { PACKAGE_NODE_PREFIX, newId, startN8n, type N8nInstance } from '../test/e2e/harness';
import { MANAGEENGINE_TOKEN, loadTemplate, templateCredentials } from '../test/e2e/browser/templates';
import { startQueueCluster } from '../test/e2e/queue-cluster';
import { ROOT, rssMb } from './lib/child';

const env = process.env;
const num = (name: string, fallback: number) => (env[name] && Number.isFinite(Number(env[name])) ? Number(env[name]) : fallback);
const LIMIT = num('BENCH_LIMIT', 40);
const WINDOW_S = num('BENCH_WINDOW_S', 60);
const LEARNED = num('BENCH_LEARNED_LIMIT', 200);
const SOAK = num('BENCH_SOAK', 1000);
const SOAK_CONCURRENCY = num('BENCH_SOAK_CONCURRENCY', 20);
const PARTS = new Set((env.BENCH_LIMITS_PARTS ?? '1,2,3,4').split(',').map((p) => p.trim()));
const log = (text: string) => process.stdout.write(`${text}\n`);
const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

interface BurstFigures {
	requests: number;
	delivered: number;
	rateLimited: number;
	logins: number;
	seconds: number;
	deliveryRatio: number;
	/**
	 * The sustained rate: window ÷ the median time from the k-th accepted SMS to the (k + limit)-th, i.e. how
	 * soon a slot of the budget is used again. Unlike `deliveryRatio` it does not count the spread of the
	 * last window's requests (the time n8n takes to push them out) against the limiter.
	 */
	slotReuseRatio: number;
	failures: number;
	/** Failure replies by their first words (status and error), so a refusal says what refused it. */
	failureReasons?: Record<string, number>;
}

/** A short key for a failed reply: the HTTP status and the first words of the error, digits folded. */
function reasonOf(status: number | undefined, body: unknown): string {
	if (status === undefined) return 'no reply';
	const first = Array.isArray(body) ? body[0] : body;
	const text = String((first as { error?: unknown; message?: unknown })?.error ?? (first as { message?: unknown })?.message ?? JSON.stringify(first) ?? '');
	return `${status} ${text.replace(/\d+/g, 'N').slice(0, 90)}`;
}

/** window ÷ median(t[k + limit] − t[k]) over the simulator's acceptance times. */
function slotReuseRatio(sim: Simulator, limit: number, windowS: number): number {
	const times = sim.messages().map((m) => Date.parse(m.time)).sort((a, b) => a - b);
	const cycles = times.slice(limit).map((t, k) => (t - times[k]) / 1000).sort((a, b) => a - b);
	if (cycles.length === 0) return NaN;
	return round(windowS / cycles[Math.floor(cycles.length / 2)]);
}

/** ((N − limit) / span) × window / limit over the simulator's acceptance times. */
function deliveryRatio(sim: Simulator, limit: number, windowS: number): number {
	const times = sim.messages().map((m) => Date.parse(m.time)).sort((a, b) => a - b);
	if (times.length <= limit) return NaN;
	const span = (times[times.length - 1] - times[0]) / 1000;
	return round(((times.length - limit) / span) * (windowS / limit));
}

function sendWorkflow(path: string, credentialId: string) {
	return {
		id: newId(),
		name: `Bench limits: ${path}`,
		nodes: [
			{
				id: newId(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: newId(),
				parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			},
			{
				id: newId(),
				name: 'Send SMS',
				type: `${PACKAGE_NODE_PREFIX}.ringCentral`,
				typeVersion: 1,
				position: [220, 0],
				onError: 'continueRegularOutput',
				credentials: { ringCentralJwtApi: { id: credentialId, name: credentialId } },
				parameters: { resource: 'sms', operation: 'send', from: 'auto', to: '={{ $json.body.to }}', text: '={{ $json.body.text }}', options: {} },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

const credential = (id: string, jwt: string, serverUrl: string) => ({
	id,
	name: id,
	type: 'ringCentralJwtApi',
	data: { serverUrl, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt },
});

async function burst(sim: Simulator, url: string, count: number, limit: number, tag: string): Promise<BurstFigures> {
	const before = sim.stats();
	const started = Date.now();
	const replies = await Promise.all(
		Array.from({ length: count }, async (_, i) => {
			const res = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ to: `+1650555${String(1000 + (i % 9000)).padStart(4, '0')}`, text: `${tag} ${i}` }),
				signal: AbortSignal.timeout(15 * 60_000),
			}).catch(() => undefined);
			const body = res ? ((await res.json().catch(() => [])) as Array<{ messageId?: string }>) : [];
			const ok = res?.status === 200 && !!body[0]?.messageId;
			return { ok, reason: ok ? '' : reasonOf(res?.status, body) };
		}),
	);
	const failureReasons: Record<string, number> = {};
	for (const r of replies) if (!r.ok) failureReasons[r.reason] = (failureReasons[r.reason] ?? 0) + 1;
	const seconds = (Date.now() - started) / 1000;
	const after = sim.stats();
	return {
		requests: count,
		delivered: after.smsAccepted - before.smsAccepted,
		rateLimited: after.rateLimited - before.rateLimited,
		logins: after.jwtLogins - before.jwtLogins,
		seconds: round(seconds, 1),
		deliveryRatio: deliveryRatio(sim, limit, WINDOW_S),
		slotReuseRatio: slotReuseRatio(sim, limit, WINDOW_S),
		failures: replies.filter((r) => !r.ok).length,
		...(Object.keys(failureReasons).length ? { failureReasons } : {}),
	};
}

/** The baseline: straight to the simulator with a fixed token, each 429 retried after its Retry-After. */
async function baselineBurst(sim: Simulator, count: number, limit: number): Promise<BurstFigures> {
	const tokenRes = await fetch(`${sim.url}/restapi/oauth/token`, {
		method: 'POST',
		headers: {
			authorization: `Basic ${Buffer.from(`${SIM_DEFAULTS.clientId}:${SIM_DEFAULTS.clientSecret}`).toString('base64')}`,
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: SIM_DEFAULTS.jwt }),
	});
	const token = ((await tokenRes.json()) as { access_token: string }).access_token;
	const before = sim.stats();
	const started = Date.now();
	const one = async (i: number): Promise<boolean> => {
		for (let attempt = 0; attempt < 4; attempt++) {
			const res = await fetch(`${sim.url}/restapi/v1.0/account/~/extension/~/sms`, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
				body: JSON.stringify({ from: { phoneNumber: SIM_DEFAULTS.smsNumbers[0] }, to: [{ phoneNumber: `+1650555${String(1000 + i).padStart(4, '0')}` }], text: `baseline ${i}` }),
			});
			await res.arrayBuffer();
			if (res.status === 200) return true;
			if (res.status !== 429) return false;
			await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 30) * 1000));
		}
		return false;
	};
	const results = await Promise.all(Array.from({ length: count }, (_, i) => one(i)));
	const after = sim.stats();
	return {
		requests: count,
		delivered: after.smsAccepted - before.smsAccepted,
		rateLimited: after.rateLimited - before.rateLimited,
		logins: 1,
		seconds: round((Date.now() - started) / 1000, 1),
		deliveryRatio: deliveryRatio(sim, limit, WINDOW_S),
		slotReuseRatio: slotReuseRatio(sim, limit, WINDOW_S),
		failures: results.filter((ok) => !ok).length,
	};
}

const limits = (medium: number) => ({ limits: { light: 1_000_000, medium, heavy: 1_000_000, auth: 5 }, windowSeconds: WINDOW_S, penaltySeconds: WINDOW_S });

async function singleProcess(sim: Simulator, result: Record<string, unknown>): Promise<void> {
	const ids = { main: newId(), second: newId() };
	let n8n: N8nInstance | undefined;
	try {
		n8n = await startN8n({
			workflows: [sendWorkflow('bench/limits/main', ids.main), sendWorkflow('bench/limits/second', ids.second)],
			credentials: [credential(ids.main, SIM_DEFAULTS.jwt, sim.url), credential(ids.second, SIM_DEFAULTS.second.jwt, sim.url)],
		});
		if (PARTS.has('1')) {
			sim.reset();
			sim.configure(limits(LIMIT));
			const baseline = await baselineBurst(sim, 3 * LIMIT, LIMIT);
			log(`1. baseline (direct client, retry after 429): ${JSON.stringify(baseline)}`);
			sim.reset();
			sim.configure(limits(LIMIT));
			const package1 = await burst(sim, n8n.webhookUrl('bench/limits/main'), 3 * LIMIT, LIMIT, 'one-process');
			log(`1. one n8n process, ${3 * LIMIT} against ${LIMIT} per ${WINDOW_S} s: ${JSON.stringify(package1)}`);
			result.oneProcess = { limit: LIMIT, windowSeconds: WINDOW_S, package: package1, baseline };
		}
		if (PARTS.has('2')) {
			sim.reset();
			sim.configure(limits(LEARNED));
			const learned = await burst(sim, n8n.webhookUrl('bench/limits/second'), 3 * LEARNED, LEARNED, 'learned');
			const perWindow = round(learned.deliveryRatio * LEARNED, 1);
			log(`2. stated ${LEARNED} per ${WINDOW_S} s (package starts at 40): ${JSON.stringify(learned)}, ≈ ${perWindow} per window after the first`);
			result.learnedLimit = { stated: LEARNED, windowSeconds: WINDOW_S, package: learned, perWindowAfterFirst: perWindow };
		}
	} finally {
		await n8n?.stop();
	}
}

async function cluster(sim: Simulator, result: Record<string, unknown>): Promise<void> {
	const id = newId();
	sim.reset();
	sim.configure(limits(LIMIT));
	const c = await startQueueCluster({
		workflows: [sendWorkflow('bench/limits/cluster', id)],
		credentials: [credential(id, SIM_DEFAULTS.jwt, sim.url)],
		workers: 2,
		concurrency: 50,
		env: {},
	});
	try {
		const figures = await burst(sim, c.n8n.webhookUrl('bench/limits/cluster'), 3 * LIMIT, LIMIT, 'cluster');
		log(`3. main + 2 workers (n8n's queue Redis only), ${3 * LIMIT} against ${LIMIT} per ${WINDOW_S} s: ${JSON.stringify(figures)}`);
		result.cluster = { limit: LIMIT, windowSeconds: WINDOW_S, package: figures };
	} finally {
		await c.stop();
	}
}

/** ManageEngine's GET for soak request i (a distinct number and text each). */
const soakPath = (i: number) => `ringcentral/manageengine?mobileNumber=1650${String(5550000 + (i % 10000)).slice(-7)}&message=${encodeURIComponent(`soak code ${100000 + i}`)}&token=${MANAGEENGINE_TOKEN}`;

async function soak(sim: Simulator, result: Record<string, unknown>): Promise<void> {
	sim.reset();
	sim.configure({ limits: { light: 1_000_000, medium: 1_000_000, heavy: 1_000_000, auth: 5 }, windowSeconds: 60, penaltySeconds: 2 });
	const manageEngine = loadTemplate('manageEngine');
	// One load generator on one address: lift the trigger's per-caller abuse limit (30 a minute by default).
	for (const node of manageEngine.nodes as Array<{ type: string; parameters: Record<string, any> }>) {
		if (node.type.endsWith('.smsGatewayTrigger')) node.parameters.gatewayOptions = { ...(node.parameters.gatewayOptions ?? {}), callerPerMinute: 0, callerPerHour: 0 };
	}
	const c = await startQueueCluster({
		workflows: [manageEngine],
		credentials: templateCredentials([manageEngine], sim.url),
		workers: 2,
		concurrency: 10,
		webhookProcess: true,
		env: {},
	});
	const SMS = '/restapi/v1.0/account/~/extension/~/sms';
	const faults = [
		{ method: 'POST', path: SMS, status: 429, headers: { 'Retry-After': '2' }, times: 5 },
		{ method: 'POST', path: SMS, status: 503, headers: { 'Retry-After': '1' }, times: 3 },
		{ method: 'POST', path: SMS, status: 502, times: 3 },
		{ method: 'POST', path: SMS, drop: 'before' as const, times: 3 },
		{ method: 'POST', path: SMS, drop: 'after' as const, times: 3 },
		{ path: '/restapi/v1.0', expireTokens: true },
	];
	const rss: Record<string, Array<[number, number]>> = { webhook: [], workers: [] };
	const sample = (done: number) => {
		const pids = c.pids();
		if (pids.webhook) rss.webhook.push([done, rssMb(pids.webhook)]);
		rss.workers.push([done, pids.workers.reduce((sum, pid) => sum + rssMb(pid), 0)]);
	};
	const outcomes = { ok: 0, failureReply: 0, noReply: 0 };
	const faultEvery = Math.max(10, Math.floor(SOAK / 50));
	const okTexts: string[] = [];
	let next = 0;
	let done = 0;
	let killed = false;
	let restarted = false;
	const started = Date.now();
	try {
		sample(0);
		const run = async () => {
			while (next < SOAK) {
				const i = next++;
				// About 50 fault injections whatever the size, cycling through the kinds.
				if (i > 0 && i % faultEvery === 0) sim.addFaults(faults[(i / faultEvery) % faults.length]);
				const res = await fetch(c.webhookUrl(soakPath(i)), { signal: AbortSignal.timeout(120_000) }).catch(() => undefined);
				const text = res ? await res.text().catch(() => '') : '';
				if (res?.status === 200 && text.trim() === 'success') {
					outcomes.ok++;
					okTexts.push(`soak code ${100000 + i}`);
				}
				else if (res) outcomes.failureReply++;
				else outcomes.noReply++;
				done++;
				if (done % 100 === 0) sample(done);
				if (done % 1000 === 0) log(`   ${done} of ${SOAK} after ${round((Date.now() - started) / 1000, 0)} s: ${JSON.stringify(outcomes)}`);
				if (!killed && done >= SOAK * 0.4) {
					killed = true;
					await c.killWorker(0);
					log(`   killed worker 0 after ${done} requests`);
				}
				if (killed && !restarted && done >= SOAK * 0.6) {
					restarted = true;
					await c.addWorker();
					log(`   started a replacement worker after ${done} requests`);
				}
			}
		};
		await Promise.all(Array.from({ length: SOAK_CONCURRENCY }, run));
		sample(done);
		const texts = new Map<string, number>();
		for (const m of sim.messages()) texts.set(`${m.to.join(',')}|${m.text}`, (texts.get(`${m.to.join(',')}|${m.text}`) ?? 0) + 1);
		const duplicates = Array.from(texts.values()).filter((n) => n > 1).length;
		const sentTexts = new Set(sim.messages().map((m) => m.text));
		const successWithoutSms = okTexts.filter((t) => !sentTexts.has(t)).length;
		const stats = sim.stats();
		const figures = {
			requests: SOAK,
			seconds: round((Date.now() - started) / 1000, 1),
			okReplies: outcomes.ok,
			failureReplies: outcomes.failureReply,
			noReply: outcomes.noReply,
			delivered: texts.size,
			duplicates,
			successWithoutSms,
			logins: stats.jwtLogins,
			refreshes: stats.refreshes,
			rateLimited: stats.rateLimited,
			faultsFired: stats.faultsFired,
			contractViolations: stats.contractViolations,
			rssMb: rss,
		};
		log(`4. soak: ${JSON.stringify({ ...figures, rssMb: undefined })}`);
		log(`   RSS (MB) webhook: ${rss.webhook.map(([n, mb]) => `${n}:${mb}`).join(' ')}; workers: ${rss.workers.map(([n, mb]) => `${n}:${mb}`).join(' ')}`);
		result.soak = figures;
	} finally {
		await c.stop();
	}
}

async function main(): Promise<void> {
	const startedAt = new Date();
	const result: Record<string, unknown> = { startedAt: startedAt.toISOString(), machine: { cpus: os.cpus().length, loadAverageAtStart: os.loadavg(), node: process.version } };
	const sim = await startSimulator({ port: 0 });
	try {
		if (PARTS.has('1') || PARTS.has('2')) await singleProcess(sim, result);
		if (PARTS.has('3')) await cluster(sim, result);
		if (PARTS.has('4')) await soak(sim, result);
	} finally {
		await sim.close();
	}
	result.finishedAt = new Date().toISOString();
	(result.machine as Record<string, unknown>).loadAverageAtEnd = os.loadavg();
	const dir = path.join(ROOT, 'bench', 'results');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `limits-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
	fs.writeFileSync(file, `${JSON.stringify(result, null, '\t')}\n`);
	fs.writeFileSync(path.join(dir, 'limits-latest.json'), `${JSON.stringify(result, null, '\t')}\n`);
	log(`saved ${path.relative(ROOT, file)}`);
}

main().catch((error: unknown) => {
	process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exit(1);
});
