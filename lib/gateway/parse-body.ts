/**
 * Turns a raw request body into parameters. The trigger parses bodies itself (not n8n) so that every
 * refusal reaches the caller in its own format with a reason, and so XML is parsed with entities off.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { failure, type GatewayFailure } from './failure';
import { parseJsonWithRepeatedKeys } from './json-repeated';

export type Params = Record<string, unknown>;
export type BodyKind = 'none' | 'json' | 'form' | 'xml' | 'text';

export type ParseBodyResult =
	| { ok: true; kind: BodyKind; params: Params; /** A plain-text body that is not key=value: the message itself. */ bodyText?: string }
	| { ok: false; failure: GatewayFailure };

const MAX_KEYS = 200;
const MAX_DEPTH = 12;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const CDATA = '__cdata';

const xmlParser = new XMLParser({
	ignoreAttributes: true,
	processEntities: false,
	htmlEntities: false,
	parseTagValue: false, // keep "0044…" and "16505550123" as text, never numbers
	trimValues: true,
	ignoreDeclaration: true,
	ignorePiTags: true,
	// CDATA is literal text: kept apart so entity decoding never touches it (`<![CDATA[AT&T]]>`).
	cdataPropName: CDATA,
});

/** `application/json; charset=utf-8` → `{ type: 'application/json', charset: 'utf-8' }` */
export function parseContentType(header: unknown): { type: string; charset: string } {
	const raw = Array.isArray(header) ? String(header[0] ?? '') : typeof header === 'string' ? header : '';
	const [type, ...rest] = raw.split(';');
	let charset = 'utf-8';
	for (const part of rest) {
		const [k, v] = part.split('=');
		if (k?.trim().toLowerCase() === 'charset' && v) charset = v.trim().replace(/^"|"$/g, '').toLowerCase();
	}
	return { type: (type ?? '').trim().toLowerCase(), charset };
}

function decode(raw: Buffer, charset: string): string | GatewayFailure {
	let decoder: TextDecoder;
	try {
		decoder = new TextDecoder(charset, { fatal: true });
	} catch {
		return { status: 415, code: 'unsupported-charset', reason: `charset "${charset.slice(0, 30)}" is not supported; use UTF-8` };
	}
	try {
		return decoder.decode(raw).replace(/^\uFEFF/, '');
	} catch {
		return { status: 400, code: 'bad-encoding', reason: `the body is not valid ${charset}` };
	}
}

/** Copies untrusted data into plain objects, dropping prototype keys and bounding depth and size. */
export function sanitize(value: unknown, depth = 0, budget = { keys: 0 }): unknown {
	if (value === null || typeof value !== 'object') return value;
	if (depth > MAX_DEPTH) throw new Error('the body is nested too deeply');
	if (Array.isArray(value)) {
		if (value.length > MAX_KEYS) throw new Error(`a list in the body has more than ${MAX_KEYS} entries`);
		return value.map((v) => sanitize(v, depth + 1, budget));
	}
	const out: Params = {};
	for (const [k, v] of Object.entries(value as Params)) {
		if (FORBIDDEN_KEYS.has(k)) continue;
		if (++budget.keys > MAX_KEYS) throw new Error(`the body has more than ${MAX_KEYS} parameters`);
		out[k] = sanitize(v, depth + 1, budget);
	}
	return out;
}

/** `a=1&a=2&b=3` → `{ a: ['1', '2'], b: '3' }`; `+` is a space, as browsers and curl encode it. */
export function parseForm(text: string): Params {
	const out: Params = {};
	let count = 0;
	for (const [key, value] of new URLSearchParams(text)) {
		if (FORBIDDEN_KEYS.has(key) || key === '') continue;
		if (++count > MAX_KEYS) throw new Error(`the form has more than ${MAX_KEYS} parameters`);
		const prev = out[key];
		out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
	}
	return out;
}

function parseJson(text: string): ParseBodyResult {
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch (error) {
		return failure(400, 'malformed-json', `the JSON body is malformed (${String((error as Error).message).slice(0, 80)})`);
	}
	if (data === null || typeof data !== 'object' || Array.isArray(data)) {
		return failure(400, 'malformed-json', 'the JSON body must be an object such as {"to": "...", "text": "..."}');
	}
	// Read again, keeping a key given twice as two values (JSON.parse silently keeps the last).
	return { ok: true, kind: 'json', params: sanitize(parseJsonWithRepeatedKeys(text, MAX_DEPTH + 1)) as Params };
}

const BUILT_IN_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function codePoint(n: number, ref: string): string {
	const ok = n === 0x9 || n === 0xa || n === 0xd || (n >= 0x20 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd) || (n >= 0x10000 && n <= 0x10ffff);
	if (!ok) throw new Error(`the XML body refers to a character that XML does not allow (${ref.slice(0, 12)})`);
	return String.fromCodePoint(n);
}

/**
 * XML's five built-in entities and numeric character references (`&#43;`, `&#x2B;`), decoded in one pass
 * so `&amp;lt;` stays the text `&lt;`. Any other entity would need a DTD, and DTDs are refused.
 */
export function decodeXmlText(text: string): string {
	return text.replace(/&([^;&\s]{0,12});?/g, (ref, name: string) => {
		if (!ref.endsWith(';')) throw new Error('the XML body has a bare "&"; write it as &amp;');
		if (Object.prototype.hasOwnProperty.call(BUILT_IN_ENTITIES, name)) return BUILT_IN_ENTITIES[name];
		const dec = /^#(\d{1,7})$/.exec(name);
		if (dec) return codePoint(Number(dec[1]), ref);
		const hex = /^#x([0-9a-f]{1,6})$/i.exec(name);
		if (hex) return codePoint(parseInt(hex[1], 16), ref);
		throw new Error(`the XML body uses the entity "${ref.slice(0, 16)}", which is not defined (no DTD is accepted)`);
	});
}

function decodeEntities(value: unknown): unknown {
	if (typeof value === 'string') return decodeXmlText(value);
	if (Array.isArray(value)) return value.map(decodeEntities);
	if (value === null || typeof value !== 'object') return value;
	const obj = value as Params;
	const keys = Object.keys(obj);
	// An element whose text is (partly) CDATA: its decoded text, then the CDATA as written.
	if (keys.includes(CDATA) && keys.every((k) => k === CDATA || k === '#text')) {
		const cdata = Array.isArray(obj[CDATA]) ? (obj[CDATA] as unknown[]).join('') : String(obj[CDATA]);
		return `${typeof obj['#text'] === 'string' ? decodeXmlText(obj['#text']) : ''}${cdata}`;
	}
	const out: Params = {};
	for (const [k, v] of Object.entries(obj)) out[k] = decodeEntities(v);
	return out;
}

function parseXml(text: string): ParseBodyResult {
	// A DTD is how entity bombs and external entities get in; no SMS request needs one.
	if (/<!DOCTYPE|<!ENTITY/i.test(text)) return failure(400, 'malformed-xml', 'XML with a DOCTYPE or ENTITY declaration is refused');
	const valid = XMLValidator.validate(text);
	if (valid !== true) return failure(400, 'malformed-xml', `the XML body is malformed (${valid.err.msg.slice(0, 80)}, line ${valid.err.line})`);
	let doc: Params;
	try {
		doc = decodeEntities(xmlParser.parse(text)) as Params;
	} catch (error) {
		return failure(400, 'malformed-xml', (error as Error).message);
	}
	const roots = Object.keys(doc);
	// `<sms><to>…</to><text>…</text></sms>`: the parameters are the root element's children.
	const root = roots.length === 1 ? doc[roots[0]] : doc;
	if (root === null || typeof root !== 'object' || Array.isArray(root)) {
		return failure(400, 'malformed-xml', 'the XML body must have one root element with the parameters inside it');
	}
	return { ok: true, kind: 'xml', params: sanitize(root) as Params };
}

function parseText(text: string): ParseBodyResult {
	const t = text.trim();
	if (t === '') return { ok: true, kind: 'none', params: {} };
	if (t.startsWith('{')) return parseJson(t);
	if (t.startsWith('<')) return parseXml(t);
	// `mobileNumber=…&message=…` sent as text/plain (or without a content type) is still a form.
	if (/^[A-Za-z_][\w.\-[\]]*=[^\n]*$/.test(t) && !/\s/.test(t.split('=')[0])) return { ok: true, kind: 'form', params: parseForm(t) };
	return { ok: true, kind: 'text', params: {}, bodyText: text };
}

export function parseBody(raw: Buffer, contentTypeHeader: unknown): ParseBodyResult {
	const { type, charset } = parseContentType(contentTypeHeader);
	if (raw.length === 0) return { ok: true, kind: 'none', params: {} };
	const isJson = type === 'application/json' || type.endsWith('+json') || type === 'text/json';
	const isXml = type === 'application/xml' || type === 'text/xml' || type.endsWith('+xml');
	const isForm = type === 'application/x-www-form-urlencoded';
	const isText = type === 'text/plain' || type === '';
	if (!isJson && !isXml && !isForm && !isText) {
		return failure(
			415,
			'unsupported-media-type',
			`content type "${type.slice(0, 60)}" is not supported; send JSON, form-urlencoded, XML, plain text or query parameters`,
		);
	}
	const text = decode(raw, charset);
	if (typeof text !== 'string') return { ok: false, failure: text };
	try {
		if (isJson) return parseJson(text);
		if (isXml) return parseXml(text);
		if (isForm) return { ok: true, kind: 'form', params: parseForm(text) };
		return parseText(text);
	} catch (error) {
		return failure(400, 'bad-request', (error as Error).message);
	}
}
