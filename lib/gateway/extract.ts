/**
 * Finds recipient, text, sender and country code in the query string and the body, by the names a preset
 * (or the user) lists. Policy for repeated parameters: several values of the recipient are several
 * recipients; several *different* values of anything else (`message=a&message=b`, or the query saying one
 * thing and the body another) are refused, because guessing which text to send is worse than asking.
 */
import { failure, type GatewayFailure } from './failure';
import type { Params } from './parse-body';
import type { PresetFields } from './presets';

export interface Extracted {
	recipients: string[];
	text: string;
	from?: string;
	countryCode?: string;
	/** Query and body merged (body wins), for the output item. */
	parameters: Params;
}

export type ExtractResult = { ok: true; value: Extracted } | { ok: false; failure: GatewayFailure };

/** Case-insensitive lookup of `a.b.c` (exact key first, so `payload.code` also finds a literal dotted key). */
export function lookup(params: Params, path: string): unknown {
	if (Object.prototype.hasOwnProperty.call(params, path)) return params[path];
	let current: unknown = params;
	for (const part of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		const obj = current as Params;
		if (Object.prototype.hasOwnProperty.call(obj, part)) {
			current = obj[part];
			continue;
		}
		const key = Object.keys(obj).find((k) => k.toLowerCase() === part.toLowerCase());
		if (key === undefined) return undefined;
		current = obj[key];
	}
	return current;
}

function isPresent(value: unknown): boolean {
	return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}

function scalars(value: unknown): unknown[] {
	return Array.isArray(value) ? value.flat(3) : [value];
}

/** The first listed name that either source carries, with its values from each source. */
function find(names: string[], query: Params, body: Params): { name: string; values: unknown[]; conflict: boolean } | undefined {
	for (const name of names) {
		const q = lookup(query, name);
		const b = lookup(body, name);
		if (!isPresent(q) && !isPresent(b)) continue;
		const qValues = isPresent(q) ? scalars(q) : [];
		const bValues = isPresent(b) ? scalars(b) : [];
		const key = (vs: unknown[]) => [...new Set(vs.map((v) => JSON.stringify(v)))].sort().join('\n');
		const conflict = qValues.length > 0 && bValues.length > 0 && key(qValues) !== key(bValues);
		return { name, values: [...qValues, ...bValues], conflict };
	}
	return undefined;
}

function single(
	label: string,
	hit: { name: string; values: unknown[] } | undefined,
): { ok: true; value?: string } | { ok: false; failure: GatewayFailure } {
	if (!hit) return { ok: true };
	const values = hit.values.filter(isPresent);
	if (values.some((v) => typeof v === 'object')) {
		return failure(400, 'bad-request', `parameter "${hit.name}" (${label}) must be a text value, not a list or object`);
	}
	const distinct = [...new Set(values.map(String))];
	if (distinct.length > 1) {
		return failure(400, 'repeated-parameter', `parameter "${hit.name}" (${label}) was given ${distinct.length} different values; send it once`);
	}
	return { ok: true, value: distinct[0] };
}

/** `Your code is {payload.code}` → filled from the parameters, or undefined when a placeholder is missing. */
export function fillTemplate(template: string, query: Params, body: Params): string | undefined {
	let missing = false;
	const text = template.replace(/\{([^{}]+)\}/g, (_, path: string) => {
		const value = lookup(body, path.trim()) ?? lookup(query, path.trim());
		if (!isPresent(value) || typeof value === 'object') {
			missing = true;
			return '';
		}
		return String(value);
	});
	return missing ? undefined : text;
}

/** Parameter names that carry a caller's secret (static API keys some products add to every request). */
const SECRET_NAME = /pass(word)?|pwd|secret|token|api[-_]?key|^key$|auth|signature|credential/i;

/** Keeps the parameters for the output item but never the caller's secrets: values are replaced, names kept. */
export function redactSecrets(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(redactSecrets);
	if (value === null || typeof value !== 'object') return value;
	const out: Params = {};
	for (const [k, v] of Object.entries(value as Params)) out[k] = SECRET_NAME.test(k) ? '[redacted]' : redactSecrets(v);
	return out;
}

export function extract(
	query: Params,
	body: Params,
	fields: PresetFields,
	options: { bodyText?: string; maxRecipients: number; dropParams?: string[] },
): ExtractResult {
	const toHit = find(fields.to, query, body);
	if (!toHit) return failure(400, 'missing-phonenumber', `no recipient: expected one of the parameters ${fields.to.map((n) => `"${n}"`).join(', ')}`);
	if (toHit.values.some((v) => v !== null && typeof v === 'object')) {
		return failure(400, 'bad-request', `parameter "${toHit.name}" must be a phone number or a list of phone numbers`);
	}
	const recipients = [
		...new Set(
			toHit.values
				.filter(isPresent)
				.flatMap((v) => String(v).split(/[,;]+/))
				.map((s) => s.trim())
				.filter((s) => s !== ''),
		),
	];
	if (toHit.conflict) {
		return failure(400, 'repeated-parameter', `parameter "${toHit.name}" differs between the query string and the body; send it once`);
	}
	if (recipients.length === 0) return failure(400, 'missing-phonenumber', `parameter "${toHit.name}" is empty`);
	if (recipients.length > options.maxRecipients) {
		return failure(400, 'too-many-recipients', `${recipients.length} recipients in one request; at most ${options.maxRecipients} are allowed`);
	}

	const textHit = single('text', find(fields.text, query, body));
	if (!textHit.ok) return textHit;
	let text = textHit.value;
	if (text === undefined && fields.textTemplate.trim() !== '') text = fillTemplate(fields.textTemplate, query, body);
	if (text === undefined && options.bodyText !== undefined) text = options.bodyText;
	if (text === undefined || text.trim() === '') {
		const names = fields.text.map((n) => `"${n}"`).join(', ');
		return failure(400, 'missing-text', `no message text: expected one of the parameters ${names || '(none configured)'}`);
	}

	const fromHit = single('sender', find(fields.from, query, body));
	if (!fromHit.ok) return fromHit;
	const ccHit = single('country code', find(fields.countryCode, query, body));
	if (!ccHit.ok) return ccHit;

	const parameters = redactSecrets({ ...query, ...body }) as Params;
	for (const name of options.dropParams ?? []) delete parameters[name];
	if (options.bodyText !== undefined) parameters.body = options.bodyText;
	return { ok: true, value: { recipients, text, from: fromHit.value, countryCode: ccHit.value, parameters } };
}
