/**
 * What the SMS Gateway Reply node tells the caller, decided from the RingCentral node's output items:
 * success only when every item is a sent message; otherwise a failure with the first reason.
 * A sent item: `{ messageId, status, to, … }`. A failed item (RingCentral node continuing on fail):
 * `{ error: '<sentence>', errorCode?, httpCode?, outcomeUnknown?, field?, to? }`.
 */
import type { ReplyOutcome } from './reply';

export interface Decided {
	outcome: ReplyOutcome;
	/** A retry may send again: nothing was sent and nothing may have been sent. */
	retryable: boolean;
	sent: number;
	failed: number;
}

function errorText(error: unknown): string {
	if (typeof error === 'string') return error;
	if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
	return 'the SMS could not be sent';
}

export function decideOutcome(items: Array<Record<string, unknown>>): Decided {
	if (items.length === 0) {
		return { outcome: { ok: false, failure: { status: 502, code: 'send-failed', reason: 'nothing was sent: the previous node returned no items' } }, retryable: true, sent: 0, failed: 0 };
	}
	const failed = items.filter((j) => j.error !== undefined && j.error !== null && j.error !== '');
	const sent = items.filter((j) => !failed.includes(j) && j.messageId !== undefined && j.messageId !== null && j.messageId !== '');
	const unclear = items.filter((j) => !failed.includes(j) && !sent.includes(j));
	const anyUnknown = failed.some((j) => j.outcomeUnknown === true);

	if (failed.length === 0 && unclear.length === 0) {
		return { outcome: { ok: true, messageId: String(sent[0].messageId) }, retryable: false, sent: sent.length, failed: 0 };
	}
	if (failed.length === 0) {
		const reason = 'the previous node did not report a sent message (no message ID); put SMS Gateway Reply after the RingCentral node\'s Send';
		return { outcome: { ok: false, failure: { status: 502, code: 'send-failed', reason } }, retryable: sent.length === 0, sent: sent.length, failed: unclear.length };
	}
	const first = failed[0];
	let reason = errorText(first.error);
	if (items.length > 1) reason = `${failed.length} of ${items.length} messages failed: ${reason}`;
	let status = 502;
	let code = 'send-failed';
	if (anyUnknown) {
		status = 504;
		code = 'timeout';
	} else if (first.field === 'to') {
		status = 400;
		code = 'invalid-phonenumber';
	}
	return { outcome: { ok: false, failure: { status, code, reason } }, retryable: sent.length === 0 && !anyUnknown, sent: sent.length, failed: failed.length + unclear.length };
}
