/**
 * What to do after one attempt of an API call: retry after N ms, or fail with this error. Pure: it sees the
 * response (or the network failure) and where the call stands, and does no I/O.
 *
 * RingCentral's client rules (docs/ringcentral-limits.md): 429 and 503 were refused before any work, so
 * they are retried after `Retry-After` (429 without one: 30 s) when the call's deadline allows; a 429 also
 * starts a penalty for everyone. A 401 gets one new token and one retry. Anything that may have reached
 * RingCentral — a timeout, a reset after connecting, a 500/502/504 — is retried only for a call that is
 * safe to repeat: SMS has no idempotency key, so a second attempt could text twice.
 */
import { RingCentralApiError, describeApiFailure, specificCode, type RingCentralErrorBody } from './errors';
import { DEFAULT_RATE_LIMIT_WAIT_MS, retryAfterMs } from './limits';
import type { NetworkFailure } from './network';

export interface AttemptContext {
	group: string;
	idempotent: boolean;
	/** Time left before the call's deadline (ms); Infinity when it has none. */
	remainingMs: number;
	rateLimitRetries: number;
	networkRetries: number;
	tokenRenewals: number;
	maxRateLimitRetries: number;
	maxRetryWaitMs: number;
	/** The per-request timeout, for the sentence after a timeout. */
	requestTimeoutMs: number;
	serverUrl: string;
}

export interface ResponseFacts {
	status: number;
	headers: { get(name: string): string | null };
	body?: RingCentralErrorBody;
}

export type RetryReason = 'rate-limit' | 'unavailable' | 'server-error' | 'network' | 'token-rejected';

export type Verdict =
	| { action: 'retry'; afterMs: number; reason: RetryReason; penaltyMs?: number }
	| { action: 'fail'; error: RingCentralApiError; penaltyMs?: number };

const MAX_NETWORK_RETRIES = 2;
const networkBackoff = (retries: number) => 250 * (retries + 1);

function canRetryUnsure(context: AttemptContext, afterMs: number): boolean {
	return context.idempotent && context.networkRetries < MAX_NETWORK_RETRIES && afterMs + 500 < context.remainingMs;
}

/** An answer that is not 2xx. */
export function classifyResponse(response: ResponseFacts, context: AttemptContext): Verdict {
	const { status, headers } = response;
	const waitMs = retryAfterMs(headers.get('retry-after'));
	const group = (headers.get('x-rate-limit-group') ?? context.group).toLowerCase();

	if (status === 429 || status === 503) {
		const afterMs = waitMs ?? (status === 429 ? DEFAULT_RATE_LIMIT_WAIT_MS : 5_000);
		const penaltyMs = status === 429 ? afterMs : undefined;
		const fits = context.rateLimitRetries < context.maxRateLimitRetries && afterMs <= context.maxRetryWaitMs && afterMs < context.remainingMs;
		if (fits) return { action: 'retry', afterMs, reason: status === 429 ? 'rate-limit' : 'unavailable', penaltyMs };
		return { action: 'fail', error: apiFailure(response, group, waitMs, false), penaltyMs };
	}
	if (status === 401 && context.tokenRenewals < 1 && context.remainingMs > 1000) {
		// Refused before anything was done: safe to repeat with a new token, even for SMS.
		return { action: 'retry', afterMs: 0, reason: 'token-rejected' };
	}
	if ([408, 500, 502, 504].includes(status) && canRetryUnsure(context, networkBackoff(context.networkRetries))) {
		return { action: 'retry', afterMs: networkBackoff(context.networkRetries), reason: 'server-error' };
	}
	const maybeDone = !context.idempotent && [500, 502, 504].includes(status);
	return { action: 'fail', error: apiFailure(response, group, waitMs, maybeDone) };
}

function apiFailure(response: ResponseFacts, group: string, waitMs: number | undefined, maybeDone: boolean): RingCentralApiError {
	const { status, headers, body } = response;
	const { code, parameterName } = specificCode(body);
	const message = describeApiFailure(status, body, {
		retryAfterMs: waitMs,
		group,
		limit: headers.get('x-rate-limit-limit') ?? undefined,
		window: headers.get('x-rate-limit-window') ?? undefined,
	});
	return new RingCentralApiError(
		maybeDone ? `${message} The outcome is unknown: RingCentral may have accepted the message before failing; it was not re-sent.` : message,
		{
			status,
			errorCode: code,
			parameterName,
			retryAfterMs: waitMs,
			rateLimitGroup: status === 429 ? group : undefined,
			outcomeUnknown: maybeDone,
			body,
		},
	);
}

/** No answer: the request failed on the network, or its timeout fired. */
export function classifyNetworkFailure(failure: NetworkFailure, context: AttemptContext): Verdict {
	const afterMs = networkBackoff(context.networkRetries);
	if (failure.kind === 'never-sent') {
		// Nothing left this host: repeating is safe for every call.
		if (context.networkRetries < MAX_NETWORK_RETRIES && afterMs + 500 < context.remainingMs) return { action: 'retry', afterMs, reason: 'network' };
		return {
			action: 'fail',
			error: new RingCentralApiError(
				`Could not reach RingCentral at ${context.serverUrl}; nothing was sent. Check the Server URL and that n8n can reach it.`,
				{ description: failure.code },
			),
		};
	}
	if (failure.kind === 'ambiguous' && canRetryUnsure(context, afterMs)) return { action: 'retry', afterMs, reason: 'network' };
	// No raw socket codes in the sentence: n8n swaps messages that mention them for a generic one.
	const what = failure.kind === 'timeout' ? `no answer within ${Math.round(context.requestTimeoutMs / 1000)} s` : 'the connection broke';
	return {
		action: 'fail',
		error: new RingCentralApiError(
			context.idempotent
				? `RingCentral request failed: ${what}.`
				: `The outcome is unknown: ${what} after the request was sent, so RingCentral may or may not have accepted it. It was not re-sent, to avoid a duplicate SMS; check the message log before retrying.`,
			{ outcomeUnknown: !context.idempotent, description: [failure.kind, failure.code].filter(Boolean).join(': ') },
		),
	};
}
