/**
 * RingCentral's published contract, enforced: every incoming request for an operation in
 * `contract/ringcentral-openapi-subset.json` is checked against its path, query and body schema, and what
 * the contract refuses is refused with RingCentral's error shape — so a client bug (an empty enum value, a
 * missing field) fails here as it would on the real platform. The operation's `x-throttling-group` is the
 * rate-limit group the simulator counts it in.
 *
 * The checker covers the schema keywords the subset uses (type, enum, required, properties, items, $ref,
 * allOf, anyOf with a discriminator, minimum/maximum, length and item counts). Form and query values are
 * strings on the wire and are read as the schema's type.
 */
import contract from './contract/ringcentral-openapi-subset.json';
import { HttpError, invalidParameter, oauthError, type RequestCtx } from './http';
import { boundaryOf, parseMultipart } from './multipart';
import type { RateGroup, SimStats } from './types';

type Schema = Record<string, any>;

interface Parameter {
	name: string;
	in: 'path' | 'query' | 'header';
	required?: boolean;
	schema?: Schema;
}

export interface ContractOperation {
	method: string;
	template: string;
	group: RateGroup;
	parameters: Parameter[];
	body?: { required: boolean; content: Record<string, { schema: Schema }> };
	matcher: RegExp;
}

const schemas = (contract as { components: { schemas: Record<string, Schema> } }).components.schemas;

const OPERATIONS: ContractOperation[] = Object.entries(contract.paths as Record<string, Record<string, any>>).flatMap(([template, item]) =>
	Object.entries(item)
		.filter(([method]) => method !== 'parameters')
		.map(([method, operation]) => ({
			method: method.toUpperCase(),
			template,
			group: String(operation['x-throttling-group'] ?? 'Light').toLowerCase() as RateGroup,
			parameters: [...(item.parameters ?? []), ...(operation.parameters ?? [])] as Parameter[],
			body: operation.requestBody,
			matcher: new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '([^/]+)')}$`),
		})),
);

/** The contract's operation for a request (path already decoded), if the subset has one. */
export function findOperation(method: string, path: string): ContractOperation | undefined {
	return OPERATIONS.find((op) => op.method === method && op.matcher.test(path));
}

interface Problem {
	parameter: string;
	missing: boolean;
}

const resolve = (schema: Schema): Schema => {
	let current = schema;
	for (let depth = 0; current?.$ref && depth < 20; depth++) current = schemas[String(current.$ref).split('/').pop() as string];
	return current ?? {};
};

/** Reads a wire string as the schema's scalar type; undefined when it cannot be one. */
function fromWire(value: unknown, schema: Schema): unknown {
	if (typeof value !== 'string') return value;
	const type = resolve(schema).type;
	if (type === 'integer') return /^-?\d+$/.test(value) ? Number(value) : undefined;
	if (type === 'number') return value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined;
	if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : undefined;
	return value;
}

const typeOk = (type: string | undefined, value: unknown): boolean => {
	switch (type) {
		case undefined:
			return true;
		case 'object':
			return typeof value === 'object' && value !== null && !Array.isArray(value);
		case 'array':
			return Array.isArray(value);
		case 'integer':
			return Number.isInteger(value);
		case 'number':
			return typeof value === 'number' && Number.isFinite(value);
		default:
			return typeof value === type;
	}
};

/** The first thing about `value` the schema refuses, or undefined. `wire`: values are strings to read. */
export function checkSchema(raw: Schema, value: unknown, at: string, wire = false): Problem | undefined {
	const schema = resolve(raw);
	if (schema.allOf) {
		for (const part of schema.allOf as Schema[]) {
			const problem = checkSchema(part, value, at, wire);
			if (problem) return problem;
		}
	}
	const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
	if (alternatives) {
		const discriminator = schema.discriminator as { propertyName: string; mapping?: Record<string, string> } | undefined;
		if (discriminator && value && typeof value === 'object') {
			const tag = (value as Record<string, unknown>)[discriminator.propertyName];
			const target = discriminator.mapping?.[String(tag)];
			if (!target) return { parameter: join(at, discriminator.propertyName), missing: tag === undefined };
			return checkSchema({ $ref: target }, value, at, wire);
		}
		const problems = alternatives.map((alt) => checkSchema(alt, value, at, wire));
		if (!problems.some((p) => p === undefined)) return problems[0];
	}
	const v = wire ? fromWire(value, schema) : value;
	if (!typeOk(schema.type, v)) return { parameter: at || 'body', missing: false };
	if (schema.enum && !(schema.enum as unknown[]).includes(v)) return { parameter: at, missing: false };
	if (typeof v === 'number' && ((schema.minimum !== undefined && v < schema.minimum) || (schema.maximum !== undefined && v > schema.maximum))) {
		return { parameter: at, missing: false };
	}
	if (typeof v === 'string' && ((schema.maxLength !== undefined && v.length > schema.maxLength) || (schema.minLength !== undefined && v.length < schema.minLength))) {
		return { parameter: at, missing: false };
	}
	if (Array.isArray(v)) {
		if ((schema.minItems !== undefined && v.length < schema.minItems) || (schema.maxItems !== undefined && v.length > schema.maxItems)) {
			return { parameter: at, missing: false };
		}
		if (schema.items) {
			for (let i = 0; i < v.length; i++) {
				const problem = checkSchema(schema.items, v[i], `${at}[${i}]`, wire);
				if (problem) return problem;
			}
		}
	}
	if (v && typeof v === 'object' && !Array.isArray(v)) {
		const object = v as Record<string, unknown>;
		for (const name of (schema.required ?? []) as string[]) {
			if (object[name] === undefined || object[name] === null) return { parameter: join(at, name), missing: true };
		}
		for (const [name, propertySchema] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
			if (object[name] === undefined) continue;
			const problem = checkSchema(propertySchema, object[name], join(at, name), wire);
			if (problem) return problem;
		}
	}
	return undefined;
}

const join = (at: string, name: string) => (at ? `${at}.${name}` : name);

function refusal(op: ContractOperation, problem: Problem): HttpError {
	if (op.template.startsWith('/restapi/oauth/')) {
		// OAuth endpoints answer in the OAuth shape (RFC 6749 `invalid_request`).
		return oauthError(400, 'invalid_request', problem.missing ? 'OAU-101' : 'OAU-102', problem.missing ? `Parameter [${problem.parameter}] is required` : `Parameter [${problem.parameter}] value is invalid`);
	}
	return problem.missing
		? invalidParameter('CMN-100', `Parameter [${problem.parameter}] is required`, problem.parameter)
		: invalidParameter('CMN-101', `Parameter [${problem.parameter}] value is invalid.`, problem.parameter);
}

function withoutMaximum(schema: Schema): Schema {
	const { maximum: _maximum, oneOf, anyOf, ...rest } = resolve(schema);
	return {
		...rest,
		...(oneOf ? { oneOf: (oneOf as Schema[]).map(withoutMaximum) } : {}),
		...(anyOf ? { anyOf: (anyOf as Schema[]).map(withoutMaximum) } : {}),
	};
}

function queryProblem(param: Parameter, query: URLSearchParams): Problem | undefined {
	const values = query.getAll(param.name);
	if (values.length === 0) return param.required ? { parameter: param.name, missing: true } : undefined;
	let schema = resolve(param.schema ?? {});
	// RingCentral clamps a `perPage` above its maximum instead of refusing it (the call log documents this).
	if (param.name === 'perPage') schema = withoutMaximum(schema);
	// A repeated scalar parameter is not a contract matter; each of its values must conform, though.
	const problem = schema.type === 'array' ? checkSchema(schema, values, param.name, true) : values.map((v) => checkSchema(schema, v, param.name, true)).find(Boolean);
	// RingCentral names the query parameter itself, not the position of a repeated value.
	return problem && { parameter: param.name, missing: problem.missing };
}

const CONTRACT_GRANTS = ['authorization_code', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'partner_jwt', 'refresh_token'];

function bodyValue(op: ContractOperation, ctx: RequestCtx): { schema?: Schema; value?: unknown; wire: boolean } {
	const mime = (ctx.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
	const content = op.body?.content ?? {};
	if (mime === 'application/x-www-form-urlencoded' && content[mime]) {
		const form = Object.fromEntries(new URLSearchParams(ctx.rawBody));
		// `@ringcentral/sdk` refreshes with access_token_ttl=-1 after cancelAccessToken(): RingCentral's own client.
		if (form.grant_type === 'refresh_token' && form.access_token_ttl === '-1') delete form.access_token_ttl;
		// A grant the contract does not list gets the handler's more specific unsupported/unauthorized answer.
		if (op.template === '/restapi/oauth/token' && !CONTRACT_GRANTS.includes(form.grant_type)) return { wire: true };
		return { schema: content[mime].schema, value: form, wire: true };
	}
	if ((mime === 'application/json' || mime === '') && content['application/json']) {
		if (ctx.rawBody.trim() === '') return { schema: content['application/json'].schema, value: undefined, wire: false };
		try {
			return { schema: content['application/json'].schema, value: JSON.parse(ctx.rawBody), wire: false };
		} catch {
			return { schema: content['application/json'].schema, value: Symbol('malformed'), wire: false };
		}
	}
	if ((mime === 'multipart/form-data' || mime === 'multipart/mixed') && content[mime]) {
		// The JSON part carries the fields; every further part is one of the `attachments`.
		const boundary = boundaryOf(ctx.header('content-type'));
		const parts = boundary && ctx.rawBytes ? parseMultipart(ctx.rawBytes, boundary) : undefined;
		if (!parts?.length || parts[0].contentType !== 'application/json') return { schema: content[mime].schema, value: Symbol('malformed'), wire: false };
		let fields: unknown;
		try {
			fields = JSON.parse(parts[0].data.toString('utf8'));
		} catch {
			return { schema: content[mime].schema, value: Symbol('malformed'), wire: false };
		}
		if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return { schema: content[mime].schema, value: fields, wire: false };
		const files = parts.slice(1).map((part) => part.fileName ?? part.name ?? 'attachment');
		return { schema: content[mime].schema, value: { ...(fields as object), ...(files.length ? { attachments: files } : {}) }, wire: false };
	}
	return { wire: false };
}

/** RingCentral's refusal of a request outside the contract, or undefined when it conforms. */
export function contractViolation(op: ContractOperation, ctx: RequestCtx): HttpError | undefined {
	for (const param of op.parameters) {
		if (param.in !== 'query') continue;
		const problem = queryProblem(param, ctx.query);
		if (problem) return refusal(op, problem);
	}
	if (!op.body) return undefined;
	const { schema, value, wire } = bodyValue(op, ctx);
	if (!schema) return undefined; // a content type the contract does not describe: the handler decides
	if (value === undefined) return op.body.required ? refusal(op, { parameter: 'body', missing: true }) : undefined;
	if (typeof value === 'symbol') return refusal(op, { parameter: 'body', missing: false });
	const problem = checkSchema(schema, value, '', wire);
	return problem ? refusal(op, problem) : undefined;
}

/**
 * Every refusal since this module loaded, whatever simulator and whatever `reset()`: the test suites' guard
 * (test/contract-guard.ts) fails a test file whose package code sent a request outside the contract.
 */
const refused: string[] = [];
export function contractRefusals(): readonly string[] {
	return refused;
}

/** Refuses what the contract refuses (counted in the stats); does nothing for an operation outside the subset. */
export function enforceContract(stats: SimStats, ctx: RequestCtx, operation: ContractOperation | undefined): void {
	const violation = operation && contractViolation(operation, ctx);
	if (!violation) return;
	stats.contractViolations++;
	const body = violation.body as { errors?: Array<{ errorCode?: string; parameterName?: string }>; error_description?: string };
	const first = body?.errors?.[0];
	refused.push(`${ctx.method} ${operation.template}: ${first ? `${first.errorCode} ${first.parameterName ?? ''}` : (body?.error_description ?? violation.status)}`.trim());
	if (/\/(sms|mms)$/.test(operation.template)) stats.smsRejected++;
	throw violation;
}
