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
	/** As sent: a leading space is kept, since it may be an unencoded `+` (see `lib/phone.ts`). */
	recipients: string[];
	/** Per recipient: it followed a `,`/`;` in the same value, so a leading space may be the separator's. */
	afterSeparator: boolean[];
	text: string;
	from?: string;
	countryCode?: string;
	/** Query and body merged (body wins), for the output item. */
	parameters: Params;
}

export type ExtractResult = { ok: true; value: Extracted } | { ok: false; failure: GatewayFailure };

/**
 * Every value at `a.b.c`, matching each part case-insensitively. `Text` and `TEXT` in one body are the same
 * parameter given twice, never "the first one wins": the caller's intent is unclear, so both are returned
 * and the repeated-parameter policy decides. A literal dotted key (`payload.code`) counts too.
 */
export function lookupAll(params: Params, path: string): unknown[] {
	const matching = (obj: Params, name: string) => Object.keys(obj).filter((k) => k.toLowerCase() === name.toLowerCase());
	const out: unknown[] = [];
	if (path.includes('.')) for (const k of matching(params, path)) out.push(params[k]);
	let current: unknown[] = [params];
	for (const part of path.split('.')) {
		const next: unknown[] = [];
		for (const value of current) {
			// A repeated element (XML, duplicate JSON keys) is a list: look inside each entry.
			for (const obj of Array.isArray(value) ? value : [value]) {
				if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) continue;
				for (const k of matching(obj as Params, part)) next.push((obj as Params)[k]);
			}
		}
		current = next;
	}
	return [...out, ...current];
}

/** One value at `a.b.c` (case-insensitive), or undefined when there is none or several differ. */
export function lookup(params: Params, path: string): unknown {
	const values = lookupAll(params, path);
	if (values.length === 0) return undefined;
	const distinct = new Set(values.map((v) => JSON.stringify(v)));
	return distinct.size === 1 ? values[0] : undefined;
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
		const qValues = lookupAll(query, name).filter(isPresent).flatMap(scalars);
		const bValues = lookupAll(body, name).filter(isPresent).flatMap(scalars);
		if (qValues.length === 0 && bValues.length === 0) continue;
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
		const inBody = lookupAll(body, path.trim()).filter(isPresent);
		const values = inBody.length > 0 ? inBody : lookupAll(query, path.trim()).filter(isPresent);
		// Two different values for one placeholder: which one to text is a guess, so the text is missing.
		const value = new Set(values.map((v) => JSON.stringify(v))).size === 1 ? values[0] : undefined;
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

/** Words that name a one-time code: `otp`, `pin`, `passcode`, `code`, `authCode`, `verification_code`, … */
const CODE_WORDS = new Set(['otp', 'totp', 'hotp', 'pin', 'pincode', 'passcode', 'code', 'otpcode', 'mfa', 'tan']);
/** …but not a country, area or postal code, which are not secrets and help to read the output. */
const NOT_SECRET_WORDS = new Set(['country', 'area', 'zip', 'postal', 'post', 'dial', 'calling', 'status', 'error', 'response', 'language', 'lang', 'region', 'currency', 'cc']);

/** `verificationCode` → ['verification', 'code']; `otp_code` → ['otp', 'code']. */
function words(name: string): string[] {
	return name
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^a-z0-9]+/)
		.filter(Boolean);
}

export function isCodeName(name: string): boolean {
	const w = words(name);
	return w.some((x) => CODE_WORDS.has(x)) && !w.some((x) => NOT_SECRET_WORDS.has(x));
}

/**
 * Keeps the parameters for the output item but never the caller's secrets or the one-time code it asked to
 * send (the code reaches the workflow in `text` only): values are replaced, names kept.
 */
export function redactSecrets(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(redactSecrets);
	if (value === null || typeof value !== 'object') return value;
	const out: Params = {};
	for (const [k, v] of Object.entries(value as Params)) out[k] = SECRET_NAME.test(k) || isCodeName(k) ? '[redacted]' : redactSecrets(v);
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
	const recipients: string[] = [];
	const afterSeparator: boolean[] = [];
	for (const value of toHit.values.filter(isPresent)) {
		String(value)
			.split(/[,;]+/)
			.forEach((piece, i) => {
				// Trailing space only: a leading one may be a "+" that the form encoding turned into a space.
				const kept = piece.replace(/\s+$/, '');
				if (kept.trim() === '' || recipients.includes(kept)) return;
				recipients.push(kept);
				afterSeparator.push(i > 0);
			});
	}
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
	return { ok: true, value: { recipients, afterSeparator, text, from: fromHit.value, countryCode: ccHit.value, parameters } };
}
