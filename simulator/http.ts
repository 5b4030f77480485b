/** Small request/response helpers and RingCentral's error body shapes. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly body: unknown,
		readonly headers: Record<string, string> = {},
	) {
		super(`HTTP ${status}`);
	}
}

/** API error body: `{errorCode, message, errors:[{errorCode, message, parameterName?}]}`. */
export function apiError(
	status: number,
	code: string,
	message: string,
	options: { category?: string; parameterName?: string; parameterValue?: string; headers?: Record<string, string> } = {},
): HttpError {
	const detail: Record<string, string> = { errorCode: code, message };
	if (options.parameterName) detail.parameterName = options.parameterName;
	if (options.parameterValue !== undefined) detail.parameterValue = options.parameterValue;
	return new HttpError(status, { errorCode: options.category ?? code, message, errors: [detail] }, options.headers);
}

/** OAuth error body: `{error, error_description, errors:[{errorCode, message}]}`. */
export function oauthError(status: number, error: string, code: string, description: string, headers: Record<string, string> = {}): HttpError {
	return new HttpError(status, { error, error_description: description, errors: [{ errorCode: code, message: description }] }, headers);
}

/** Validation failures carry the category `InvalidParameter` on top and the specific code inside. */
export function invalidParameter(code: string, message: string, parameterName?: string, parameterValue?: string): HttpError {
	return apiError(400, code, message, { category: 'InvalidParameter', parameterName, parameterValue });
}

const MAX_BODY = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
	return (await readBodyBytes(req)).toString('utf8');
}

/** The raw body; `max` is larger for Send MMS (the contract allows 10 MB there). */
export async function readBodyBytes(req: IncomingMessage, max = MAX_BODY): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > max) throw apiError(413, 'CMN-109', 'Request body is too large');
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

export function parseJson(raw: string): Record<string, unknown> {
	if (raw.trim() === '') return {};
	try {
		const value = JSON.parse(raw) as unknown;
		if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
	} catch {
		// fall through to the error below
	}
	// Reference is silent on malformed JSON; a 400 in the usual error shape is the plausible answer.
	throw apiError(400, 'CMN-101', 'Request body is not a valid JSON object.', { category: 'InvalidParameter' });
}

/**
 * JSON with int64 fields: RingCentral's `conversationId` does not fit a double, so it is written as a raw
 * number literal, exactly what makes it lose precision in JavaScript clients.
 */
export const RAW_NUMBER = '\u0000rawnum:';

export function toJson(body: unknown): string {
	return JSON.stringify(body).replace(/"\\u0000rawnum:(\d+)"/g, '$1');
}

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	if (res.headersSent || res.destroyed) return;
	if (body === undefined || body === null) {
		res.writeHead(status, headers).end();
		return;
	}
	const text = toJson(body);
	res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

/** A delay that does not keep the process alive by itself (the listening server does, while open). */
export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export interface Reply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

/** One parsed incoming request, as the endpoint handlers see it. */
export interface RequestCtx {
	method: string;
	/** Decoded path without query (`%7E` → `~`). */
	path: string;
	query: URLSearchParams;
	rawBody: string;
	/** The body's bytes (multipart Send MMS). */
	rawBytes?: Buffer;
	header(name: string): string | undefined;
	/** Base URL the client used, for `uri` fields. */
	baseUrl: string;
}
