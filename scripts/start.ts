/**
 * `npm start`: the RingCentral simulator (or your real account) + a real n8n with this package installed
 * and every bundled workflow imported and published, then prints how to log in and call each webhook.
 *
 * Environment:
 *   RINGCENTRAL_SERVER_URL, RINGCENTRAL_CLIENT_ID, RINGCENTRAL_CLIENT_SECRET, RINGCENTRAL_JWT
 *       all four set → use that RingCentral account instead of the simulator
 *   N8N_PORT (5678), SIM_PORT (18080)       fixed ports; 0 picks free ones
 *   N8N_START_EMAIL, N8N_START_PASSWORD      editor login (defaults printed on start)
 *   KEEP_E2E=1                               keep n8n's temporary user folder after Ctrl-C
 *   E2E_N8N_LOGS=1                           mirror n8n's log to the terminal
 */
import { randomBytes } from 'crypto';
import * as path from 'path';
import { DEFAULT_OWNER, REPO_ROOT, startN8n, type N8nInstance } from '../test/e2e/harness';
import { startSimulator, SIM_DEFAULTS, type Simulator } from '../simulator';
import {
	credentialRefs,
	loadTemplates,
	rewriteCredentialRefs,
	sampleCurl,
	webhookEndpoints,
	type CredentialRef,
	type WorkflowJson,
} from './templates';

interface RingCentralTarget {
	serverUrl: string;
	clientId: string;
	clientSecret: string;
	jwt: string;
	label: string;
}

const FALLBACK_IDS: Record<string, string> = { ringCentralJwtApi: 'rcSmsJwtCred0001' };

function realAccountFromEnv(): RingCentralTarget | undefined {
	const { RINGCENTRAL_SERVER_URL, RINGCENTRAL_CLIENT_ID, RINGCENTRAL_CLIENT_SECRET, RINGCENTRAL_JWT } = process.env;
	if (!RINGCENTRAL_SERVER_URL || !RINGCENTRAL_CLIENT_ID || !RINGCENTRAL_CLIENT_SECRET || !RINGCENTRAL_JWT) return undefined;
	return {
		serverUrl: RINGCENTRAL_SERVER_URL,
		clientId: RINGCENTRAL_CLIENT_ID,
		clientSecret: RINGCENTRAL_CLIENT_SECRET,
		jwt: RINGCENTRAL_JWT,
		label: `your RingCentral account at ${RINGCENTRAL_SERVER_URL}`,
	};
}

/** Credential data per type for the demo; unknown types are left for the user to pick in the editor. */
function credentialData(ref: CredentialRef, rc: RingCentralTarget, workflows: WorkflowJson[]): object | undefined {
	switch (ref.type) {
		case 'ringCentralJwtApi':
			return { serverUrl: rc.serverUrl, clientId: rc.clientId, clientSecret: rc.clientSecret, jwt: rc.jwt };
		case 'otpStoreApi':
			// A fresh pepper per demo run; codes live in n8n's memory (single process).
			return { pepper: randomBytes(32).toString('hex'), storeType: 'memory' };
		case 'smsGatewayAuthApi': {
			// Use the Basic auth a template's sample request shows, so the printed curl works as is.
			const users = workflows
				.filter((wf) => wf.nodes.some((n) => n.credentials?.[ref.type]?.id === ref.id))
				.flatMap((wf) => wf.meta?.sampleRequests ?? [])
				.map((s) => s.basicAuth)
				.filter((a): a is { user: string; password: string } => !!a);
			if (users.length) return { authType: 'basicAuth', user: users[0].user, password: users[0].password };
			// Or the parameter token a sample request carries (ManageEngine: `…&token=…`).
			const tokens = workflows
				.filter((wf) => wf.nodes.some((n) => n.credentials?.[ref.type]?.id === ref.id))
				.flatMap((wf) => wf.meta?.sampleRequests ?? [])
				.map((s) => s.query?.token ?? s.body?.token)
				.filter((t): t is string => typeof t === 'string');
			return tokens.length ? { authType: 'query', name: 'token', token: tokens[0] } : { authType: 'none' };
		}
		case 'httpHeaderAuth': {
			// The header a template's sample request sends (the OTP API's X-Api-Key), so the printed curl works.
			const header = workflows
				.filter((wf) => wf.nodes.some((n) => n.credentials?.[ref.type]?.id === ref.id))
				.flatMap((wf) => wf.meta?.sampleRequests ?? [])
				.flatMap((s) => Object.entries(s.headers ?? {}))[0];
			return header ? { name: header[0], value: header[1] } : undefined;
		}
		default:
			return undefined;
	}
}

function printSummary(n8n: N8nInstance, workflows: WorkflowJson[], published: Map<string, string | true>, rcLabel: string, webhooks: Awaited<ReturnType<N8nInstance['registeredWebhooks']>>): void {
	const out: string[] = [];
	out.push('', '━━━ n8n-nodes-ringcentral-sms demo ━━━');
	out.push(`Editor:   ${n8n.baseUrl}/`);
	out.push(`Login:    ${n8n.owner.email} / ${n8n.owner.password}`);
	out.push(`SMS via:  ${rcLabel}`);
	for (const wf of workflows) {
		const id = wf.id as string;
		const state = published.get(id);
		out.push('', `■ ${wf.name}  (${n8n.baseUrl}/workflow/${id})${state === true ? '' : `  NOT PUBLISHED: ${state}`}`);
		const registered = webhooks.filter((w) => w.workflowId === id);
		if (registered.length) {
			for (const w of registered) out.push(`  ${w.method.padEnd(6)} ${n8n.webhookUrl(w.webhookPath)}   (${w.node})`);
		} else {
			for (const e of webhookEndpoints(wf)) out.push(`  ${e.methods.join(',').padEnd(6)} ${n8n.webhookUrl(e.path)}   (${e.node})`);
		}
		for (const sample of wf.meta?.sampleRequests ?? []) {
			out.push(`  # ${sample.title}`, `  ${sampleCurl(n8n.baseUrl, sample)}`);
		}
	}
	out.push('', 'Ctrl-C stops n8n and the simulator.', '');
	process.stdout.write(out.join('\n') + '\n');
}

async function main(): Promise<void> {
	const real = realAccountFromEnv();
	let sim: Simulator | undefined;
	let rc: RingCentralTarget;
	if (real) {
		rc = real;
	} else {
		sim = await startSimulator({ port: Number(process.env.SIM_PORT ?? 18080), host: '127.0.0.1' });
		rc = {
			serverUrl: sim.url,
			clientId: SIM_DEFAULTS.clientId,
			clientSecret: SIM_DEFAULTS.clientSecret,
			jwt: SIM_DEFAULTS.jwt,
			label: `the RingCentral simulator at ${sim.url} (sent SMS: ${sim.url}/_sim/messages)\nPhone:    ${sim.url}/_sim/phone   (see what was sent, text back to fire the RingCentral Trigger)`,
		};
	}

	const templates = loadTemplates(path.join(REPO_ROOT, 'workflows')).map((t) => t.workflow);
	const refs = credentialRefs(templates);
	if (!refs.some((r) => r.type === 'ringCentralJwtApi')) {
		refs.push({ type: 'ringCentralJwtApi', id: FALLBACK_IDS.ringCentralJwtApi, name: 'RingCentral account' });
	}
	const credentials: Array<{ id: string; name: string; type: string; data: object }> = [];
	for (const ref of refs) {
		const data = credentialData(ref, rc, templates);
		if (!data) {
			process.stderr.write(`[start] no demo data for credential type ${ref.type}; pick one in the editor\n`);
			continue;
		}
		credentials.push({ id: ref.id || `${ref.type.slice(0, 12)}Demo`.padEnd(16, '0').slice(0, 16), name: ref.name, type: ref.type, data });
	}
	const imported = credentials.map((c) => ({ type: c.type, id: c.id, name: c.name }));
	const workflows = templates.map((wf) => rewriteCredentialRefs(wf, imported));

	const t0 = Date.now();
	process.stderr.write('[start] packing the package and starting n8n…\n');
	const n8n = await startN8n({
		port: Number(process.env.N8N_PORT ?? 5678),
		workflows,
		credentials,
		publish: 'none',
		owner: {
			...DEFAULT_OWNER,
			email: process.env.N8N_START_EMAIL ?? DEFAULT_OWNER.email,
			password: process.env.N8N_START_PASSWORD ?? DEFAULT_OWNER.password,
		},
	});
	// Publish one by one so a template that cannot activate yet is reported instead of stopping the demo.
	const published = new Map<string, string | true>();
	for (const wf of workflows) {
		const id = wf.id as string;
		try {
			await n8n.rest.publishWorkflow(id);
			published.set(id, true);
		} catch (error) {
			published.set(id, (error as Error).message.split('\n')[0].slice(0, 300));
		}
	}
	process.stderr.write(`[start] ready in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
	printSummary(n8n, workflows, published, rc.label, await n8n.registeredWebhooks());

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		process.stderr.write('\n[start] stopping…\n');
		await n8n.stop();
		await sim?.close();
		process.exit(0);
	};
	process.on('SIGINT', () => void stop());
	process.on('SIGTERM', () => void stop());
}

main().catch((error) => {
	process.stderr.write(`[start] failed: ${(error as Error).stack ?? error}\n`);
	process.exit(1);
});
