/**
 * A tiny builder for the bundled workflow templates. The templates are JSON (that is what n8n imports), but
 * sticky notes and Code nodes are multi-line text that is unreadable once escaped, so the source of truth is
 * one TypeScript file per template and `npx tsx workflows/build/index.ts` writes the JSON next to them.
 * Ids are derived from the template and node names, so rebuilding never churns the files.
 */
import { createHash } from 'node:crypto';

export const PKG = 'n8n-nodes-ringcentral-sms';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };
export type Params = { [key: string]: Json | undefined };

export interface TemplateNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Params;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
	alwaysOutputData?: boolean;
	notesInFlow?: boolean;
	notes?: string;
}

/** A request `npm start` prints (and the README shows) for a webhook of the template. */
export interface SampleRequest {
	title: string;
	method: 'GET' | 'POST';
	path: string;
	query?: Record<string, string>;
	/** `form` = application/x-www-form-urlencoded, `json` = application/json. */
	contentType?: 'form' | 'json';
	body?: Record<string, string>;
	basicAuth?: { user: string; password: string };
	headers?: Record<string, string>;
}

/**
 * Credentials are referenced by type with a placeholder name and a fixed id. `n8n import:workflow` keeps the
 * id, so whoever imports (the user, `npm start`, the tests) either creates a credential with that id or picks
 * one in the editor; the editor's "Import from file" asks for a credential on each node that needs one.
 */
export const CREDENTIALS = {
	ringCentralJwtApi: { id: 'rcSmsJwtCred0001', name: 'RingCentral account' },
	smsGatewayAuthApi: { id: 'rcSmsGwAuthCred1', name: 'SMS gateway caller' },
	// n8n's own Header Auth credential, for templates that start with n8n's Webhook node (the OTP API).
	httpHeaderAuth: { id: 'rcSmsOtpApiKey01', name: 'OTP API caller token' },
	otpStoreApi: { id: 'rcSmsOtpStore001', name: 'OTP store' },
	directoryApi: { id: 'rcSmsDirectory01', name: 'Company directory' },
	postgres: { id: 'rcSmsCallLogPg01', name: 'Postgres (call log)' },
} as const;
export type CredentialType = keyof typeof CREDENTIALS;

/** A stable UUID-shaped id (version 4 layout) from a string. */
export function stableUuid(seed: string): string {
	const h = createHash('sha256').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A 16-character id in n8n's alphabet, stable per template: re-importing updates instead of duplicating. */
export function stableWorkflowId(seed: string): string {
	const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
	const bytes = createHash('sha256').update(`workflow:${seed}`).digest();
	return Array.from(bytes.subarray(0, 16), (b) => alphabet[b % alphabet.length]).join('');
}

export class Template {
	private readonly nodes: TemplateNode[] = [];
	private readonly connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }> = {};
	private readonly samples: SampleRequest[] = [];
	private stickyCount = 0;
	private extraSettings: Record<string, Json> = {};

	constructor(
		readonly slug: string,
		readonly name: string,
		readonly description: string,
	) {}

	node(
		name: string,
		type: string,
		typeVersion: number,
		position: [number, number],
		parameters: Params,
		extra: Partial<Pick<TemplateNode, 'onError' | 'alwaysOutputData' | 'notes' | 'notesInFlow'>> & {
			webhook?: boolean;
			credentials?: CredentialType[];
			/** A credential of its own for this node instead of the shared one of that type (id, name). */
			credentialRefs?: Partial<Record<CredentialType, { id: string; name: string }>>;
		} = {},
	): string {
		if (this.nodes.some((n) => n.name === name)) throw new Error(`${this.slug}: duplicate node name "${name}"`);
		const { webhook, credentials, credentialRefs, ...rest } = extra;
		const node: TemplateNode = { id: stableUuid(`${this.slug}:node:${name}`), name, type, typeVersion, position, parameters };
		if (webhook) node.webhookId = stableUuid(`${this.slug}:webhook:${name}`);
		if (credentials?.length) node.credentials = Object.fromEntries(credentials.map((c) => [c, { ...(credentialRefs?.[c] ?? CREDENTIALS[c]) }]));
		Object.assign(node, rest);
		this.nodes.push(node);
		return name;
	}

	/** Markdown note on the canvas. Colors: 1 yellow, 2 brown, 3 red, 4 green, 5 blue, 6 purple, 7 grey. */
	sticky(content: string, position: [number, number], size: [number, number], color = 7): void {
		this.stickyCount += 1;
		this.node(`Sticky Note ${this.stickyCount}`, 'n8n-nodes-base.stickyNote', 1, position, {
			content: content.trim(),
			width: size[0],
			height: size[1],
			color,
		});
	}

	connect(from: string, to: string, output = 0, input = 0): void {
		for (const n of [from, to]) if (!this.nodes.some((x) => x.name === n)) throw new Error(`${this.slug}: no node "${n}"`);
		const outputs = (this.connections[from] ??= { main: [] }).main;
		while (outputs.length <= output) outputs.push([]);
		outputs[output].push({ node: to, type: 'main', index: input });
	}

	/** Workflow settings besides the execution order, e.g. not saving executions that carry a password. */
	settings(extra: Record<string, Json>): void {
		Object.assign(this.extraSettings, extra);
	}

	sample(request: SampleRequest): void {
		this.samples.push(request);
	}

	toJSON(): Record<string, unknown> {
		return {
			id: stableWorkflowId(this.slug),
			name: this.name,
			nodes: this.nodes,
			connections: this.connections,
			settings: { executionOrder: 'v1', ...this.extraSettings },
			meta: { templateCredsSetupCompleted: false, description: this.description, sampleRequests: this.samples },
			pinData: {},
		};
	}
}

// ---- Stock n8n nodes, as the editor of n8n 1.85+ and 2.x writes them ----

/** Webhook v2 answering GET and POST on `path` (one output per method), replying from a Respond node. */
export function webhookParams(path: string, methods: Array<'GET' | 'POST'>): Params {
	return methods.length > 1
		? { multipleMethods: true, httpMethod: methods, path, responseMode: 'responseNode', options: {} }
		: { httpMethod: methods[0], path, responseMode: 'responseNode', options: {} };
}

export function respondParams(opts: { kind: 'text' | 'json'; body: string; status: number; contentType: string }): Params {
	return {
		respondWith: opts.kind,
		responseBody: opts.body,
		options: {
			responseCode: opts.status,
			responseHeaders: { entries: [{ name: 'Content-Type', value: opts.contentType }] },
		},
	};
}

/** One If condition ("is not empty" / "equals") in the filter format of If v2.2. */
export function ifParams(seed: string, conditions: Array<{ left: string; op: 'notEmpty' | 'equals' | 'true'; right?: string }>): Params {
	return {
		conditions: {
			options: { caseSensitive: true, leftValue: '', typeValidation: 'loose', version: 2 },
			conditions: conditions.map((c, i) => ({
				id: stableUuid(`${seed}:condition:${i}`),
				leftValue: c.left,
				rightValue: c.right ?? '',
				operator:
					c.op === 'notEmpty'
						? { type: 'string', operation: 'notEmpty', singleValue: true }
						: c.op === 'true'
							? { type: 'boolean', operation: 'true', singleValue: true }
							: { type: 'string', operation: 'equals' },
			})),
			combinator: 'and',
		},
		looseTypeValidation: true,
		options: {},
	};
}

/** Edit Fields (Set v3.4) assigning string values from expressions. */
export function setParams(seed: string, fields: Record<string, string>): Params {
	return {
		assignments: {
			assignments: Object.entries(fields).map(([name, value], i) => ({
				id: stableUuid(`${seed}:assignment:${i}`),
				name,
				value,
				type: 'string',
			})),
		},
		options: {},
	};
}

/** `{{ $json.query.x ?? $json.body.x }}` for a parameter that may come in the query string or a form/JSON body. */
export function param(name: string): string {
	return `($json.query?.${name} ?? $json.body?.${name} ?? '')`;
}
