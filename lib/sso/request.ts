/**
 * A sign-in request from an SSO caller (Ringotel: `POST {"username":"…","password":"…"}` with Basic or
 * Bearer authorization): who may call, in constant time (lib/gateway/auth.ts, the same check and
 * credential as the SMS gateway), then the body with a size limit. Every refusal is an HTTP status with a
 * short code, decided before any workflow runs; an unauthenticated caller's body is not even read.
 */
import type { Readable } from 'node:stream';
import { checkAuth, readBody, type AllowList, type GatewayAuth } from '../gateway';
import { parseJsonWithRepeatedKeys } from '../gateway/json-repeated';

export interface LoginRequestConfig {
	auth: GatewayAuth;
	allowList?: AllowList;
	usernameField: string;
	passwordField: string;
	maxBodyBytes: number;
}

export interface Caller {
	method: string;
	headers: Record<string, string | string[] | undefined>;
	ip: string;
}

export interface Refusal {
	status: number;
	code: string;
	/** For the author and logs; the caller gets only `code`. Never contains the body. */
	reason: string;
	wwwAuthenticate?: string;
}

export type LoginRequest = { ok: true; username: string; password: string } | ({ ok: false } & Refusal);

/** A sign-in body is two short strings; 8 KB is generous and keeps floods cheap. */
export const DEFAULT_MAX_LOGIN_BODY_BYTES = 8 * 1024;

const refuse = (status: number, code: string, reason: string, wwwAuthenticate?: string): LoginRequest => ({ ok: false, status, code, reason, ...(wwwAuthenticate ? { wwwAuthenticate } : {}) });

function isJson(contentType: unknown): boolean {
	const type = String(Array.isArray(contentType) ? contentType[0] : (contentType ?? '')).split(';')[0].trim().toLowerCase();
	return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type);
}

/** A caller that sends no credential of the configured kind is refused here; "none" is not a login endpoint. */
export function checkCaller(config: LoginRequestConfig, caller: Caller): Refusal | undefined {
	if (config.allowList && !config.allowList.check(caller.ip)) return { status: 403, code: 'forbidden', reason: `the caller's address ${caller.ip} is not in the IP allow-list` };
	if (config.auth.authType !== 'basicAuth' && config.auth.authType !== 'bearer') {
		return { status: 500, code: 'misconfigured', reason: 'the caller credential must use Basic Auth or Bearer Token for a sign-in endpoint' };
	}
	const auth = checkAuth(config.auth, { headers: caller.headers, query: {} });
	if (!auth.ok) return { status: 401, code: 'unauthorized', reason: auth.failure.reason, ...(auth.wwwAuthenticate ? { wwwAuthenticate: auth.wwwAuthenticate } : {}) };
	return undefined;
}

export async function readLoginRequest(config: LoginRequestConfig, caller: Caller, body: Readable | Buffer): Promise<LoginRequest> {
	const drain = () => {
		if (!Buffer.isBuffer(body)) body.resume();
	};
	if (caller.method.toUpperCase() !== 'POST') {
		drain();
		return refuse(405, 'method-not-allowed', `${caller.method} is not accepted; send POST`);
	}
	const refused = checkCaller(config, caller);
	if (refused) {
		drain();
		return { ok: false, ...refused };
	}
	if (!isJson(caller.headers['content-type'])) {
		drain();
		return refuse(415, 'unsupported-media-type', 'send the body as application/json');
	}
	let raw: Buffer;
	if (Buffer.isBuffer(body)) {
		if (body.length > config.maxBodyBytes) return refuse(413, 'payload-too-large', `the body is larger than ${config.maxBodyBytes} bytes`);
		raw = body;
	} else {
		const read = await readBody(body, caller.headers, config.maxBodyBytes);
		if (!read.ok) return refuse(read.failure.status, read.failure.code, read.failure.reason);
		raw = read.body;
	}
	let parsed: unknown;
	try {
		const text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
		JSON.parse(text);
		// JSON.parse keeps the last of two "username" keys without a word: a repeated field is refused instead.
		parsed = parseJsonWithRepeatedKeys(text, 8);
	} catch {
		return refuse(400, 'malformed-json', 'the body is not valid UTF-8 JSON');
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return refuse(400, 'bad-request', 'the body must be a JSON object');
	const fields = parsed as Record<string, unknown>;
	const username = fields[config.usernameField];
	const password = fields[config.passwordField];
	if (typeof username !== 'string') return refuse(400, 'missing-field', `"${config.usernameField}" is missing, repeated or not a string`);
	if (typeof password !== 'string') return refuse(400, 'missing-field', `"${config.passwordField}" is missing, repeated or not a string`);
	// An empty username or password is not a malformed request: the login denies it like any wrong one.
	return { ok: true, username, password };
}
