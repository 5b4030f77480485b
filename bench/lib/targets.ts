/**
 * The four things the benchmark compares, as n8n workflows (a)–(c) ready to import and the bare proxy (d).
 *
 * n8n 2.x blocks `$env` in node parameters by default, so the lead's baseline flows are imported with the
 * simulator's URL, keys and token written into them (what a user of those flows would paste anyway).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './child';

export const TEMPLATE_FILE = path.join(ROOT, 'workflows', 'manageengine-adselfservice-sms.json');
export const TEMPLATE_PATH = 'ringcentral/manageengine';
/** The credential id the shipped templates refer to (workflows/build/lib.ts). */
export const TEMPLATE_CREDENTIAL_ID = 'rcSmsJwtCred0001';

export interface RcValues {
	server: string;
	clientId: string;
	clientSecret: string;
	jwt: string;
	from: string;
	/** A token obtained once by hand, for the floor flow. */
	token: string;
}

type Json = Record<string, any>;

function readJson(file: string): Json {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
}

/** Replaces `{{ $env.NAME }}` (and `$env.NAME` inside longer expressions) with literal values. */
function substituteEnv(workflow: Json, values: Record<string, string>): Json {
	let text = JSON.stringify(workflow);
	for (const [name, value] of Object.entries(values)) {
		const literal = JSON.stringify(value).slice(1, -1);
		// Inside an expression: `$env.NAME` becomes a JS string literal.
		text = text.replace(new RegExp(`\\{\\{ \\$env\\.${name} \\}\\}`, 'g'), literal);
		text = text.replace(new RegExp(`\\$env\\.${name}\\b`, 'g'), `'${literal.replace(/'/g, "\\'")}'`);
	}
	if (/\$env\./.test(text)) throw new Error(`unsubstituted $env in ${workflow.name}`);
	return JSON.parse(text) as Json;
}

/** A copy with new node ids, webhook ids and webhook paths under `suffix`, so two copies can be active at once. */
export function cloneWorkflow(workflow: Json, suffix: string, credentialId?: string): Json {
	const copy = JSON.parse(JSON.stringify(workflow)) as Json;
	delete copy.id;
	copy.name = `${copy.name} (${suffix})`;
	for (const node of copy.nodes as Json[]) {
		node.id = randomUUID();
		if (node.webhookId) node.webhookId = randomUUID();
		if (typeof node.parameters?.path === 'string') node.parameters.path = `${node.parameters.path}-${suffix}`;
		if (credentialId && node.credentials?.ringCentralJwtApi) node.credentials.ringCentralJwtApi = { id: credentialId, name: `RingCentral ${suffix}` };
	}
	return copy;
}

export function webhookPath(workflow: Json): string {
	const hook = (workflow.nodes as Json[]).find((n) => typeof n.parameters?.path === 'string' && /webhook|trigger/i.test(n.type));
	if (!hook) throw new Error(`no webhook in ${workflow.name}`);
	return hook.parameters.path as string;
}

export function naiveWorkflow(rc: RcValues): Json {
	return substituteEnv(readJson(path.join(ROOT, 'bench', 'workflows', 'naive-login-per-sms.json')), {
		BENCH_RC_SERVER: rc.server,
		BENCH_RC_BASIC: Buffer.from(`${rc.clientId}:${rc.clientSecret}`).toString('base64'),
		BENCH_RC_JWT: rc.jwt,
		BENCH_RC_FROM: rc.from,
	});
}

export function floorWorkflow(rc: RcValues): Json {
	return substituteEnv(readJson(path.join(ROOT, 'bench', 'workflows', 'floor-fixed-token.json')), {
		BENCH_RC_SERVER: rc.server,
		BENCH_RC_TOKEN: rc.token,
		BENCH_RC_FROM: rc.from,
	});
}

/** The shipped ManageEngine template (BENCH_TEMPLATE_FILE overrides), or undefined when it is not there. */
/**
 * The template as shipped, except its abuse guard's limits: one load generator on one address sends
 * thousands of SMS to a few thousand numbers, which the per-caller (60 a minute) and per-destination limits
 * would refuse by design. The software is measured here, not the guard (test/e2e covers that).
 */
export function templateWorkflow(): Json | undefined {
	const file = process.env.BENCH_TEMPLATE_FILE || TEMPLATE_FILE;
	if (!fs.existsSync(file)) return undefined;
	const template = readJson(file);
	for (const node of template.nodes as Json[]) {
		if (!String(node.type).endsWith('.smsGatewayTrigger')) continue;
		node.parameters.gatewayOptions = {
			...(node.parameters.gatewayOptions ?? {}),
			callerPerMinute: 0,
			callerPerHour: 0,
			destinationPerMinute: 0,
			destinationPerHour: 0,
		};
	}
	return template;
}

export function rcCredential(id: string, name: string, rc: Pick<RcValues, 'server' | 'clientId' | 'clientSecret' | 'jwt'>): Json {
	return {
		id,
		name,
		type: 'ringCentralJwtApi',
		data: { serverUrl: rc.server, clientId: rc.clientId, clientSecret: rc.clientSecret, jwt: rc.jwt },
	};
}

/** Requests made so far in this run: every text is unique, so no phase repeats an earlier one (the duplicate window). */
let sequence = 0;

/** ManageEngine's request: the AD number with every non-digit removed, and the text. */
export function manageEnginePath(webhookPathValue: string, i: number): string {
	const number = `1650555${String(1000 + (i % 9000)).padStart(4, '0')}`;
	return `/webhook/${webhookPathValue}?mobileNumber=${number}&message=${encodeURIComponent(`Your ADSelfService Plus code is ${100000 + (i % 900000)} (${sequence++})`)}`;
}

/** The SMS Gateway Trigger's caller credential, when the template asks callers to authenticate. */
export const BENCH_CALLER = { user: 'manageengine', password: 'bench-caller-password' };

export function callerCredentials(template: Json | undefined): Json[] {
	const ref = (template?.nodes as Json[] | undefined)?.find((n) => n.credentials?.smsGatewayAuthApi)?.credentials.smsGatewayAuthApi;
	if (!ref) return [];
	return [{ id: ref.id, name: ref.name, type: 'smsGatewayAuthApi', data: { authType: 'basicAuth', user: BENCH_CALLER.user, password: BENCH_CALLER.password, token: '', name: '' } }];
}

/** Headers a caller of the template must send (Basic auth when its trigger uses the caller credential). */
export function callerHeaders(template: Json | undefined): Record<string, string> {
	const trigger = (template?.nodes as Json[] | undefined)?.find((n) => String(n.type).endsWith('.smsGatewayTrigger'));
	if (trigger?.parameters?.authentication !== 'smsGatewayAuthApi') return {};
	return { authorization: `Basic ${Buffer.from(`${BENCH_CALLER.user}:${BENCH_CALLER.password}`).toString('base64')}` };
}
