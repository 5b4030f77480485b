/**
 * `npx tsx bench/expression-engine.ts`: what n8n's expression engine costs the ManageEngine template compared
 * with n8n's floor (Webhook → HTTP Request with a fixed token), on one n8n version, under engine settings.
 * n8n 2.40 evaluates expressions in a V8 isolate and holds a second one for any trigger that is not its own
 * Webhook node (docs/n8n-versions.md); this measures that next to the floor in the same run.
 *
 * Per variant and workflow: a fresh n8n, 30 warm-up requests, 50 sequential (p50) and 400 at concurrency 20
 * (SMS/s), against the simulator at 80 ms per call with every limit lifted.
 *
 * Env: N8N_E2E_VERSION (default: the main target), BENCH_ENGINE_VARIANTS — variants separated by ";", each
 * "default" or comma-separated NAME=value settings for n8n, e.g.
 * "default;N8N_EXPRESSION_ENGINE=legacy;N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true".
 */
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../simulator';
import { startN8n } from '../test/e2e/harness';
import { TEMPLATE_CREDENTIAL_ID, callerCredentials, callerHeaders, floorWorkflow, manageEnginePath, rcCredential, templateWorkflow, webhookPath } from './lib/targets';

const UNLIMITED = 1_000_000_000;
const VARIANTS = (process.env.BENCH_ENGINE_VARIANTS ?? 'default;N8N_EXPRESSION_ENGINE=legacy').split(';').map((v) => v.trim()).filter(Boolean);

async function accessToken(url: string): Promise<string> {
	const res = await fetch(`${url}/restapi/oauth/token`, {
		method: 'POST',
		headers: {
			authorization: `Basic ${Buffer.from(`${SIM_DEFAULTS.clientId}:${SIM_DEFAULTS.clientSecret}`).toString('base64')}`,
			'content-type': 'application/x-www-form-urlencoded',
		},
		body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: SIM_DEFAULTS.jwt }),
	});
	return ((await res.json()) as { access_token: string }).access_token;
}

const envOf = (variant: string): Record<string, string> =>
	variant === 'default' ? {} : Object.fromEntries(variant.split(',').map((pair) => pair.split('=').map((s) => s.trim()) as [string, string]));

async function measure(sim: Simulator, which: 'floor' | 'template', variant: string): Promise<{ p50: number; perSecond: number }> {
	const rc = { server: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt, from: SIM_DEFAULTS.smsNumbers[0], token: await accessToken(sim.url) };
	const workflow = which === 'floor' ? floorWorkflow(rc) : (templateWorkflow() as Record<string, any>);
	const n8n = await startN8n({
		workflows: [workflow],
		credentials: [rcCredential(TEMPLATE_CREDENTIAL_ID, 'RingCentral (bench)', rc), ...(which === 'template' ? callerCredentials(workflow) : [])],
		env: { N8N_RINGCENTRAL_SMS_PER_MINUTE: String(UNLIMITED), N8N_RINGCENTRAL_LIGHT_PER_MINUTE: String(UNLIMITED), ...envOf(variant) },
	});
	try {
		const path = webhookPath(workflow);
		const headers = which === 'template' ? callerHeaders(workflow) : {};
		const one = async (i: number) => {
			const started = Date.now();
			const res = await fetch(`${n8n.baseUrl}${manageEnginePath(path, i)}`, { headers });
			await res.text();
			if (res.status !== 200) throw new Error(`${which} (${variant}) answered ${res.status}`);
			return Date.now() - started;
		};
		for (let i = 0; i < 30; i++) await one(i);
		const latencies: number[] = [];
		for (let i = 0; i < 50; i++) latencies.push(await one(100 + i));
		latencies.sort((a, b) => a - b);
		let next = 0;
		const started = Date.now();
		await Promise.all(
			Array.from({ length: 20 }, async () => {
				while (next < 400) await one(1000 + next++);
			}),
		);
		return { p50: latencies[25], perSecond: Math.round((400 / ((Date.now() - started) / 1000)) * 10) / 10 };
	} finally {
		await n8n.stop();
	}
}

async function main(): Promise<void> {
	const sim = await startSimulator({ port: 0, latencyMs: 80 });
	sim.configure({ limits: { light: UNLIMITED, medium: UNLIMITED, heavy: UNLIMITED, auth: UNLIMITED }, maxSessionsPerUser: UNLIMITED } as never);
	const rows: string[] = ['| variant | workflow | c=1 p50 ms | c=20 SMS/s | template ÷ floor (SMS/s) |', '| --- | --- | ---: | ---: | ---: |'];
	try {
		for (const variant of VARIANTS) {
			const floor = await measure(sim, 'floor', variant);
			const template = await measure(sim, 'template', variant);
			rows.push(`| ${variant} | floor | ${floor.p50} | ${floor.perSecond} | |`);
			rows.push(`| ${variant} | template | ${template.p50} | ${template.perSecond} | ${Math.round((template.perSecond / floor.perSecond) * 100) / 100} |`);
			process.stdout.write(`${rows.slice(-2).join('\n')}\n`);
		}
	} finally {
		await sim.close();
	}
	process.stdout.write(`\nn8n ${process.env.N8N_E2E_VERSION ?? '(main target)'}\n${rows.join('\n')}\n`);
}

main().catch((error: unknown) => {
	process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
