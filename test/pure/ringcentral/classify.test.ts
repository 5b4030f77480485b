/** The retry-or-fail decision after one attempt, without HTTP: response facts and call state in, verdict out. */
import { classifyNetworkFailure, classifyResponse, type AttemptContext } from '../../../lib/ringcentral/classify';

const headers = (values: Record<string, string> = {}) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });
const sms: AttemptContext = {
	group: 'medium',
	idempotent: false,
	remainingMs: Infinity,
	rateLimitRetries: 0,
	networkRetries: 0,
	tokenRenewals: 0,
	maxRateLimitRetries: 3,
	maxRetryWaitMs: 60_000,
	requestTimeoutMs: 60_000,
	serverUrl: 'https://platform.ringcentral.com',
};
const read: AttemptContext = { ...sms, group: 'light', idempotent: true };

describe('classifyResponse', () => {
	it('429: retry after Retry-After and start a penalty of that length', () => {
		expect(classifyResponse({ status: 429, headers: headers({ 'retry-after': '7' }) }, sms)).toEqual({ action: 'retry', afterMs: 7000, reason: 'rate-limit', penaltyMs: 7000 });
	});

	it('429 without Retry-After: wait the documented 30 s', () => {
		expect(classifyResponse({ status: 429, headers: headers() }, sms)).toMatchObject({ action: 'retry', afterMs: 30_000, penaltyMs: 30_000 });
	});

	it('429 whose wait does not fit the deadline fails, still with the penalty, naming group and wait', () => {
		const verdict = classifyResponse({ status: 429, headers: headers({ 'retry-after': '60', 'x-rate-limit-group': 'Medium' }) }, { ...sms, remainingMs: 5000 });
		expect(verdict.action).toBe('fail');
		expect(verdict.penaltyMs).toBe(60_000);
		if (verdict.action === 'fail') {
			expect(verdict.error.message).toMatch(/"medium" rate-limit group.*60 s/);
			expect(verdict.error.outcomeUnknown).toBe(false);
		}
	});

	it('503: retry after Retry-After even for SMS (refused before any work), without a penalty', () => {
		expect(classifyResponse({ status: 503, headers: headers({ 'retry-after': '2' }) }, sms)).toEqual({ action: 'retry', afterMs: 2000, reason: 'unavailable', penaltyMs: undefined });
	});

	it('gives up after the allowed number of rate-limit retries', () => {
		expect(classifyResponse({ status: 503, headers: headers() }, { ...sms, rateLimitRetries: 3 }).action).toBe('fail');
	});

	it('401: one retry with a new token, then fail', () => {
		expect(classifyResponse({ status: 401, headers: headers() }, sms)).toEqual({ action: 'retry', afterMs: 0, reason: 'token-rejected' });
		expect(classifyResponse({ status: 401, headers: headers() }, { ...sms, tokenRenewals: 1 }).action).toBe('fail');
	});

	it('500/502/504: a read is retried; an SMS fails as "outcome unknown" and is never re-sent', () => {
		expect(classifyResponse({ status: 502, headers: headers() }, read)).toMatchObject({ action: 'retry', reason: 'server-error' });
		const verdict = classifyResponse({ status: 502, headers: headers() }, sms);
		expect(verdict.action).toBe('fail');
		if (verdict.action === 'fail') expect(verdict.error.outcomeUnknown).toBe(true);
	});

	it('400 with a specific code fails at once, naming the parameter', () => {
		const verdict = classifyResponse(
			{ status: 400, headers: headers(), body: { errorCode: 'InvalidParameter', errors: [{ errorCode: 'CMN-101', message: 'Parameter [to] value is invalid', parameterName: 'to' }] } },
			sms,
		);
		expect(verdict.action).toBe('fail');
		if (verdict.action === 'fail') {
			expect(verdict.error.errorCode).toBe('CMN-101');
			expect(verdict.error.parameterName).toBe('to');
			expect(verdict.error.outcomeUnknown).toBe(false);
		}
	});
});

describe('classifyNetworkFailure', () => {
	it('never sent (connection refused): retried even for SMS, then "nothing was sent"', () => {
		expect(classifyNetworkFailure({ kind: 'never-sent', code: 'ECONNREFUSED' }, sms)).toMatchObject({ action: 'retry', reason: 'network' });
		const verdict = classifyNetworkFailure({ kind: 'never-sent', code: 'ECONNREFUSED' }, { ...sms, networkRetries: 2 });
		expect(verdict.action).toBe('fail');
		if (verdict.action === 'fail') expect(verdict.error.message).toMatch(/nothing was sent/);
	});

	it('a reset after sending: a read is retried, an SMS is "outcome unknown"', () => {
		expect(classifyNetworkFailure({ kind: 'ambiguous', code: 'ECONNRESET' }, read).action).toBe('retry');
		const verdict = classifyNetworkFailure({ kind: 'ambiguous', code: 'ECONNRESET' }, sms);
		expect(verdict.action).toBe('fail');
		if (verdict.action === 'fail') {
			expect(verdict.error.outcomeUnknown).toBe(true);
			expect(verdict.error.message).not.toMatch(/ECONNRESET/);
		}
	});

	it('a timeout is never retried and says how long it waited', () => {
		const verdict = classifyNetworkFailure({ kind: 'timeout' }, { ...sms, requestTimeoutMs: 15_000 });
		expect(verdict.action).toBe('fail');
		if (verdict.action === 'fail') expect(verdict.error.message).toMatch(/no answer within 15 s/);
	});

	it('no retry when the deadline is too close', () => {
		expect(classifyNetworkFailure({ kind: 'ambiguous' }, { ...read, remainingMs: 300 }).action).toBe('fail');
	});
});
