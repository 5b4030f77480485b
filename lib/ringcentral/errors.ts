/**
 * RingCentral failures as sentences a person can act on. RingCentral nests the useful code
 * (MSG-245, CMN-101, OAU-…) in `errors[]` under a category code, and the SDK's own message is often just
 * "400 Bad Request", so we read the body ourselves.
 */

export interface RingCentralErrorBody {
	error?: string;
	error_description?: string;
	errorCode?: string;
	message?: string;
	errors?: Array<{ errorCode?: string; message?: string; parameterName?: string; parameterValue?: string }>;
}

export interface RingCentralApiErrorInit {
	status?: number;
	errorCode?: string;
	parameterName?: string;
	retryAfterMs?: number;
	rateLimitGroup?: string;
	outcomeUnknown?: boolean;
	/** Raw body with secrets removed, for the node's error details. */
	body?: unknown;
	/** Short technical description (code and RingCentral's own words). */
	description?: string;
}

export class RingCentralApiError extends Error {
	readonly status?: number;
	readonly errorCode?: string;
	readonly parameterName?: string;
	readonly retryAfterMs?: number;
	readonly rateLimitGroup?: string;
	/** True when the request may have been carried out (timeout or reset after it was sent): do not resend. */
	readonly outcomeUnknown: boolean;
	readonly body?: unknown;
	readonly description?: string;

	constructor(message: string, init: RingCentralApiErrorInit = {}) {
		super(message);
		this.name = 'RingCentralApiError';
		this.status = init.status;
		this.errorCode = init.errorCode;
		this.parameterName = init.parameterName;
		this.retryAfterMs = init.retryAfterMs;
		this.rateLimitGroup = init.rateLimitGroup;
		this.outcomeUnknown = init.outcomeUnknown ?? false;
		this.body = init.body;
		this.description = init.description;
	}
}

/** The most specific code in a RingCentral error body: an `errors[]` entry wins over the category. */
export function specificCode(body: RingCentralErrorBody | undefined): {
	code?: string;
	message?: string;
	parameterName?: string;
} {
	if (!body || typeof body !== 'object') return {};
	const first = Array.isArray(body.errors) ? body.errors.find((e) => e && e.errorCode) : undefined;
	if (first) return { code: first.errorCode, message: first.message, parameterName: first.parameterName };
	return { code: body.errorCode ?? body.error, message: body.message ?? body.error_description };
}

/** Removes every known secret from a string (defence in depth: servers sometimes echo what they got). */
export function redact(text: string, secrets: Array<string | undefined>): string {
	let out = text;
	for (const secret of secrets) {
		if (secret && secret.length >= 6) out = out.split(secret).join('[redacted]');
	}
	return out;
}

/** Sentence for a failed token request (login or refresh). */
export function describeAuthFailure(status: number | undefined, body: RingCentralErrorBody | undefined, serverUrl: string): string {
	const { code, message } = specificCode(body);
	const error = body?.error;
	const detail = [code, message ?? body?.error_description].filter(Boolean).join(': ');
	if (status === 429) {
		return `RingCentral refused to log in: too many logins for this user (Auth limit, 5 a minute). Wait a minute; this package normally logs in once and shares the session, so check for other apps or n8n instances using the same JWT. (${detail})`;
	}
	if (error === 'invalid_client' || status === 401) {
		return `RingCentral rejected the app's Client ID or Client Secret. Copy both again from the app's Credentials page in the RingCentral Developer Console, and check the app belongs to this server (${serverUrl}). (${detail})`;
	}
	if (error === 'unauthorized_client') {
		return `This RingCentral app is not allowed to use the JWT grant. In the Developer Console set the app's auth to "JWT auth flow" and authorise this JWT for it. (${detail})`;
	}
	if (error === 'unsupported_grant_type') {
		return `RingCentral did not accept the JWT grant at ${serverUrl}. Check the Server URL. (${detail})`;
	}
	if (error === 'invalid_grant') {
		return `RingCentral rejected the JWT: it is malformed, expired, revoked, issued for another app, or for another environment than ${serverUrl}. Create a new JWT for this app in the Developer Console and paste it whole. (${detail})`;
	}
	if (status === 404 || status === 405) {
		return `${serverUrl} does not look like a RingCentral server (the token endpoint answered ${status}). Use https://platform.ringcentral.com, or https://platform.ringcentral.biz for AT&T Office@Hand.`;
	}
	return `RingCentral login failed${status ? ` with HTTP ${status}` : ''}${detail ? ` (${detail})` : ''}.`;
}

/** Sentence for a failed API call (not a login). `context` adds what the caller knows (which number…). */
export function describeApiFailure(
	status: number | undefined,
	body: RingCentralErrorBody | undefined,
	headers: { retryAfterMs?: number; group?: string; limit?: string; window?: string },
): string {
	const { code, message, parameterName } = specificCode(body);
	const tail = [code, message].filter(Boolean).join(': ');
	if (status === 429) {
		const group = headers.group ? `the "${headers.group}" rate-limit group` : 'a rate-limit group';
		const limit = headers.limit ? `, ${headers.limit} requests per ${headers.window ?? 60} s` : '';
		const retry = headers.retryAfterMs !== undefined ? ` Retry after ${Math.ceil(headers.retryAfterMs / 1000)} s.` : ' Retry after at least 30 s.';
		return `RingCentral rate limit reached for ${group}${limit}.${retry} Every request during the penalty restarts it, so slow the workflow down.`;
	}
	if (status === 503) return `RingCentral is temporarily unavailable (503).${headers.retryAfterMs !== undefined ? ` Retry after ${Math.ceil(headers.retryAfterMs / 1000)} s.` : ''}`;
	if (code === 'CMN-408' || status === 403) {
		return `The RingCentral app or user lacks a permission this call needs${message ? `: ${message}` : ''}. Give the app the SMS, ReadMessages and ReadAccounts permissions.`;
	}
	if (status === 401) return `RingCentral no longer accepts the session (${tail || 'unauthorized'}).`;
	if (code === 'CMN-102' || status === 404) return `RingCentral has no such record (${tail || 'not found'}).`;
	if (parameterName) return `RingCentral refused the parameter "${parameterName}" (${tail}).`;
	return `RingCentral answered HTTP ${status ?? '?'}${tail ? ` (${tail})` : ''}.`;
}
