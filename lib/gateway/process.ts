/**
 * The request pipeline of the SMS Gateway Trigger, without n8n: caller checks (IP, credential, method),
 * then body, parameters, phone numbers and text. Either every recipient is valid and each becomes one
 * message, or the whole request is refused with a reason — a half-valid request never sends anything.
 */
import type { Readable } from 'node:stream';
import { checkLimits, checkNumber, guardPolicy, type GuardPolicy, type RateLimiter } from '../guard';
import { MAX_SMS_TEXT_UNITS } from '../ringcentral/sms';
import { normalizePhone } from '../phone';
import { checkAuth, type AllowList, type GatewayAuth } from './auth';
import { extract } from './extract';
import { failure, type GatewayFailure } from './failure';
import { parseBody, parseContentType, parseForm, type Params } from './parse-body';
import type { Preset, PresetFields, ReplySpec, ReplyTiming } from './presets';
import { DEFAULT_BODY_DEADLINE_MS, readBody } from './read-body';

/** One limit for the whole package: RingCentral's 1,000 UTF-16 units per text (lib/ringcentral/sms.ts). */
export const MAX_TEXT_UNITS = MAX_SMS_TEXT_UNITS;

export interface GatewayConfig {
	presetId: string;
	fields: PresetFields;
	defaultCountry: string;
	reply: ReplySpec;
	timing: ReplyTiming;
	methods: string[];
	maxTextLength: number;
	maxRecipients: number;
	auth?: GatewayAuth;
	allowList?: AllowList;
	/** The abuse guard: allowed countries, refused number types, send limits. */
	guard: GuardPolicy;
	/**
	 * Serve callers even without authentication or an IP allow-list. Off by default: an open gateway lets
	 * anyone who finds the URL text any number from the company's number.
	 */
	allowAnyone?: boolean;
	/** Longest the caller may take to send the body (408 after). */
	bodyDeadlineMs?: number;
}

export interface CallerInfo {
	method: string;
	headers: Record<string, string | string[] | undefined>;
	/** The raw query string (after `?`), parsed here the same way as a form body. */
	rawQuery: string;
	ip: string;
}

/** What the reply node needs to answer in the caller's format: no secrets, no parameters. */
export interface GatewayContext {
	preset: string;
	timing: ReplyTiming;
	reply: ReplySpec;
	receivedAt: string;
	dedupeKeys?: string[];
}

export interface GatewayMessage {
	to: string;
	text: string;
	from?: string;
	preset: string;
	parameters: Params;
	request: { method: string; contentType: string; ip: string };
}

export type CallerCheck =
	| { ok: true; query: Params; /** A query-token credential whose token may be in the POST body instead. */ tokenInBody?: boolean }
	| { ok: false; failure: GatewayFailure; wwwAuthenticate?: string };
export type ParseResult = { ok: true; messages: GatewayMessage[] } | { ok: false; failure: GatewayFailure };

export function splitUrlQuery(url: string): string {
	const i = url.indexOf('?');
	return i < 0 ? '' : url.slice(i + 1);
}

/** Before reading the body: is this caller allowed at all? */
export function checkCaller(config: GatewayConfig, caller: CallerInfo): CallerCheck {
	const authenticated = !!config.auth && config.auth.authType !== 'none';
	const restricted = !!config.allowList && !config.allowList.empty;
	if (!authenticated && !restricted && !config.allowAnyone) {
		return failure(
			403,
			'gateway-not-secured',
			'this SMS gateway has neither caller authentication nor an IP allow-list, so it serves nobody; set one up in the SMS Gateway Trigger (or turn on "Allow Anyone Who Knows the URL")',
		);
	}
	if (config.allowList && !config.allowList.check(caller.ip)) {
		return failure(403, 'forbidden', `address ${caller.ip.slice(0, 45)} is not in the allow-list`);
	}
	let query: Params;
	try {
		query = parseForm(caller.rawQuery);
	} catch (error) {
		return failure(400, 'bad-request', (error as Error).message);
	}
	// A POST may carry a parameter token in its form or JSON body (ManageEngine puts its whole parameter
	// string there): checked once the body is read, still before anything runs.
	const tokenInBody = config.auth?.authType === 'query' && !!config.auth.name && lookupParam(query, config.auth.name) === undefined && caller.method.toUpperCase() === 'POST';
	if (!tokenInBody) {
		const auth = checkAuth(config.auth, { headers: caller.headers, query });
		if (!auth.ok) return auth;
	}
	if (!config.methods.includes(caller.method.toUpperCase())) {
		return failure(405, 'method-not-allowed', `method ${caller.method.slice(0, 10)} is not accepted here; use ${config.methods.join(' or ')}`);
	}
	return { ok: true, query, ...(tokenInBody ? { tokenInBody } : {}) };
}

function lookupParam(params: Params, name: string): unknown {
	return Object.prototype.hasOwnProperty.call(params, name) ? params[name] : undefined;
}

/** After reading the body: the messages to send, one per recipient. */
export function parseRequest(config: GatewayConfig, caller: CallerInfo, query: Params, body: Buffer, tokenInBody = false): ParseResult {
	const parsed = parseBody(body, caller.headers['content-type']);
	if (tokenInBody) {
		// Authentication first: an unauthenticated caller learns nothing about its body (not even "malformed").
		const auth = checkAuth(config.auth, { headers: caller.headers, query: parsed.ok ? parsed.params : {} });
		if (!auth.ok) return auth;
	}
	if (!parsed.ok) return parsed;
	const dropParams = config.auth?.authType === 'query' && config.auth.name ? [config.auth.name] : [];
	const extracted = extract(query, parsed.params, config.fields, { bodyText: parsed.bodyText, maxRecipients: config.maxRecipients, dropParams });
	if (!extracted.ok) return extracted;
	const { recipients, afterSeparator, text, from, countryCode, parameters } = extracted.value;

	if (text.length > config.maxTextLength) {
		return failure(400, 'text-too-long', `the text is ${text.length} characters long; at most ${config.maxTextLength} are accepted`);
	}
	const numbers: string[] = [];
	for (const [i, raw] of recipients.entries()) {
		const result = normalizePhone(raw, {
			defaultCountry: config.defaultCountry || undefined,
			countryCallingCode: countryCode,
			allowedCountries: config.guard.allowedCountries,
			leadingSpace: afterSeparator[i] ? 'maybePlus' : 'plus',
		});
		if (!result.ok) return failure(400, result.code === 'ambiguous' ? 'ambiguous-phonenumber' : 'invalid-phonenumber', `${result.reason}; nothing was sent`);
		const guarded = checkNumber(result, config.guard);
		if (!guarded.ok) return { ok: false, failure: { ...guarded.refusal, reason: `${guarded.refusal.reason}; nothing was sent` } };
		if (!numbers.includes(result.e164)) numbers.push(result.e164);
	}
	let sender: string | undefined;
	if (from !== undefined) {
		const result = normalizePhone(from, { defaultCountry: config.defaultCountry || undefined });
		// A sender that is not a number (an alphanumeric name) is passed on as given; the workflow decides.
		sender = result.ok ? result.e164 : from.slice(0, 64);
	}
	const request = { method: caller.method.toUpperCase(), contentType: parseContentType(caller.headers['content-type']).type, ip: caller.ip };
	return {
		ok: true,
		messages: numbers.map((to) => ({ to, text, ...(sender ? { from: sender } : {}), preset: config.presetId, parameters, request })),
	};
}

/** A config with a preset's values unchanged (tests, and the defaults the editor shows). */
export function configFromPreset(preset: Preset, overrides: Partial<GatewayConfig> = {}): GatewayConfig {
	return {
		presetId: preset.id,
		fields: { ...preset.fields },
		defaultCountry: preset.defaultCountry,
		reply: { ...preset.reply },
		timing: preset.timing,
		methods: preset.methods.split(','),
		maxTextLength: MAX_TEXT_UNITS,
		maxRecipients: 10,
		guard: guardPolicy({}, preset.defaultCountry),
		allowAnyone: false,
		bodyDeadlineMs: DEFAULT_BODY_DEADLINE_MS,
		...overrides,
	};
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export type HandleResult =
	| { ok: true; messages: GatewayMessage[] }
	| { ok: false; failure: GatewayFailure; wwwAuthenticate?: string };

/**
 * The whole pipeline for one HTTP request: caller checks before the body is read (an unauthenticated
 * caller cannot make us buffer anything), then body and parameters. `body` is either the request stream
 * or a body someone already read.
 */
export async function handleGatewayRequest(
	config: GatewayConfig,
	caller: CallerInfo,
	body: Readable | Buffer,
	maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
): Promise<HandleResult> {
	const checked = checkCaller(config, caller);
	if (!checked.ok) {
		if (!Buffer.isBuffer(body)) body.resume();
		return checked;
	}
	let raw: Buffer;
	if (Buffer.isBuffer(body)) {
		if (body.length > maxBodyBytes) return failure(413, 'payload-too-large', `the request body is larger than ${maxBodyBytes} bytes`);
		raw = body;
	} else {
		const read = await readBody(body, caller.headers, maxBodyBytes, config.bodyDeadlineMs ?? DEFAULT_BODY_DEADLINE_MS);
		if (!read.ok) return read;
		raw = read.body;
	}
	return parseRequest(config, caller, checked.query, raw, checked.tokenInBody);
}

/**
 * The send limits for the messages of one accepted request: every destination and the caller's address take
 * a slot, or the request is refused with 429 and nothing is counted. Run after the duplicate window, so a
 * caller's retry of the same SMS does not use up the limit.
 */
export async function checkGatewayLimits(
	config: GatewayConfig,
	scope: string,
	messages: readonly GatewayMessage[],
	callerIp: string,
	limiter?: RateLimiter,
): Promise<{ ok: true } | { ok: false; failure: GatewayFailure }> {
	const checked = await checkLimits(config.guard, `gateway:${scope}`, { destinations: messages.map((m) => m.to), callerIp: callerIp || undefined }, limiter);
	return checked.ok ? checked : { ok: false, failure: { ...checked.refusal, reason: `${checked.refusal.reason}; nothing was sent` } };
}
