import { decideOutcome } from '../../../lib/gateway';

const sent = (id: string) => ({ messageId: id, status: 'Queued', to: '+16505550123', segments: 1 });

describe('reply outcome from the RingCentral node output', () => {
	it('success only when every item was sent; the first message id is reported', () => {
		expect(decideOutcome([sent('1'), sent('2')])).toMatchObject({ outcome: { ok: true, messageId: '1' }, sent: 2, failed: 0, retryable: false });
	});

	it('one failed item among sent ones fails the reply, and a retry must not re-send', () => {
		const d = decideOutcome([sent('1'), { error: 'RingCentral refused: invalid "to" number', errorCode: 'MSG-246', httpCode: 400 }]);
		expect(d.outcome).toEqual({ ok: false, failure: { status: 502, code: 'send-failed', reason: '1 of 2 messages failed: RingCentral refused: invalid "to" number' } });
		expect(d.retryable).toBe(false);
	});

	it('a refused send frees the duplicate window; a timeout with unknown outcome does not', () => {
		expect(decideOutcome([{ error: 'refused', httpCode: 403 }]).retryable).toBe(true);
		const t = decideOutcome([{ error: 'RingCentral did not answer within 8 s; outcome unknown', outcomeUnknown: true }]);
		expect(t).toMatchObject({ outcome: { ok: false, failure: { status: 504, code: 'timeout' } }, retryable: false });
	});

	it('an input error on the number is a 400 invalid-phonenumber; n8n-style error objects are read', () => {
		expect(decideOutcome([{ error: 'To: bad number', field: 'to' }]).outcome).toMatchObject({ ok: false, failure: { status: 400, code: 'invalid-phonenumber' } });
		expect(decideOutcome([{ error: { message: 'boom' } }]).outcome).toMatchObject({ ok: false, failure: { reason: 'boom' } });
	});

	it('items that are neither sent nor failed (Reply placed after the wrong node) are a failure, as is no input', () => {
		expect(decideOutcome([{ to: '+16505550123', text: 'hi' }]).outcome.ok).toBe(false);
		expect(decideOutcome([]).outcome.ok).toBe(false);
	});
});
