/**
 * Reading the bundled workflow templates for `npm start`: which credentials they refer to, pointing those
 * references at the credentials we import, their webhook endpoints and ready-to-paste curl commands.
 * Pure functions, no n8n.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface WorkflowJson {
	id?: string;
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		disabled?: boolean;
		webhookId?: string;
		parameters?: Record<string, unknown>;
		credentials?: Record<string, { id?: string; name?: string }>;
	}>;
	meta?: { sampleRequests?: SampleRequest[]; [key: string]: unknown };
	[key: string]: unknown;
}

export interface SampleRequest {
	title: string;
	method: string;
	path: string;
	query?: Record<string, string>;
	contentType?: 'form' | 'json';
	body?: Record<string, unknown>;
	basicAuth?: { user: string; password: string };
	headers?: Record<string, string>;
}

export interface CredentialRef {
	type: string;
	id: string;
	name: string;
}

export function loadTemplates(dir: string): Array<{ file: string; workflow: WorkflowJson }> {
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => ({ file: path.join(dir, f), workflow: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));
}

/** Every distinct credential reference (by type and id) across the workflows. */
export function credentialRefs(workflows: WorkflowJson[]): CredentialRef[] {
	const seen = new Map<string, CredentialRef>();
	for (const wf of workflows) {
		for (const node of wf.nodes) {
			for (const [type, ref] of Object.entries(node.credentials ?? {})) {
				const id = ref.id ?? '';
				const key = `${type}\0${id}`;
				if (!seen.has(key)) seen.set(key, { type, id, name: ref.name ?? type });
			}
		}
	}
	return [...seen.values()];
}

/**
 * Points every credential reference at an imported credential: by the template's id when we imported one
 * with that id, otherwise at the imported credential of the same type. Returns a copy.
 */
export function rewriteCredentialRefs(wf: WorkflowJson, imported: CredentialRef[]): WorkflowJson {
	const copy: WorkflowJson = JSON.parse(JSON.stringify(wf));
	for (const node of copy.nodes) {
		for (const [type, ref] of Object.entries(node.credentials ?? {})) {
			const match =
				imported.find((c) => c.type === type && c.id === ref.id) ?? imported.find((c) => c.type === type);
			if (match && node.credentials) node.credentials[type] = { id: match.id, name: match.name };
		}
	}
	return copy;
}

export interface WebhookEndpoint {
	node: string;
	path: string;
	methods: string[];
}

function methodsOf(params: Record<string, unknown>): string[] {
	const raw = params.httpMethod;
	const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : ['GET'];
	return list.map((m) => String(m).trim().toUpperCase()).filter(Boolean);
}

/** Webhook-style nodes (anything with a webhookId and a path parameter), as declared in the JSON. */
export function webhookEndpoints(wf: WorkflowJson): WebhookEndpoint[] {
	return wf.nodes
		.filter((n) => !n.disabled && n.webhookId && typeof n.parameters?.path === 'string')
		.map((n) => ({
			node: n.name,
			path: String(n.parameters?.path).replace(/^\//, ''),
			methods: methodsOf(n.parameters ?? {}),
		}));
}

/** Single-quotes a value for POSIX shells. */
export function shellQuote(value: string): string {
	return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function sampleCurl(baseUrl: string, sample: SampleRequest): string {
	const url = new URL(`${baseUrl.replace(/\/$/, '')}/webhook/${sample.path.replace(/^\//, '')}`);
	for (const [k, v] of Object.entries(sample.query ?? {})) url.searchParams.set(k, v);
	const parts = ['curl', '-sS', '-i', '-X', sample.method.toUpperCase()];
	if (sample.basicAuth) parts.push('-u', shellQuote(`${sample.basicAuth.user}:${sample.basicAuth.password}`));
	for (const [k, v] of Object.entries(sample.headers ?? {})) parts.push('-H', shellQuote(`${k}: ${v}`));
	if (sample.body && sample.contentType === 'json') {
		parts.push('-H', shellQuote('Content-Type: application/json'), '--data', shellQuote(JSON.stringify(sample.body)));
	} else if (sample.body) {
		for (const [k, v] of Object.entries(sample.body)) parts.push('--data-urlencode', shellQuote(`${k}=${String(v)}`));
	}
	parts.push(shellQuote(url.toString()));
	return parts.join(' ');
}
