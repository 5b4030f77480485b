import Redis from 'ioredis';
import { DuplicateWindow, RedisDuplicateWindow, dedupeKey, getPreset, outcomeFromStatus, renderReply, withoutToken } from '../../../lib/gateway';

const fail = (reason: string, status = 502, code = 'send-failed') => ({ ok: false as const, failure: { status, code, reason } });

describe('replies', () => {
	it('ManageEngine: SUCCESS / FAILED with reason, status codes', () => {
		const spec = getPreset('manageEngine')!.reply;
		expect(renderReply(spec, { ok: true })).toEqual({ status: 200, body: 'SUCCESS', contentType: 'text/plain; charset=utf-8' });
		const r = renderReply(spec, fail('RingCentral refused: the number cannot receive SMS'));
		expect(r.status).toBe(502);
		expect(r.body).toBe('FAILED: RingCentral refused: the number cannot receive SMS');
	});

	it('a reason that contains the success token never makes the failure look like success', () => {
		const spec = getPreset('privacyIdea')!.reply;
		const r = renderReply(spec, fail('"RETURN_SUCCESS" is not a phone number', 400, 'invalid-phonenumber'));
		expect(r.body).not.toContain('RETURN_SUCCESS');
		expect(r.body.startsWith('RETURN_FAIL')).toBe(true);
		expect(withoutToken('said success twice: SUCCESS', 'SUCCESS')).toBe('said […] twice: […]');
	});

	it('JSON and XML reasons are escaped', () => {
		const json = renderReply(getPreset('generic')!.reply, fail('a "quoted"\nreason <x>'));
		expect(JSON.parse(json.body)).toEqual({ status: 'failed', error: 'send-failed', message: 'a "quoted" reason <x>' });
		const xml = renderReply(getPreset('genesys')!.reply, fail('a < b & c'));
		expect(xml.body).toContain('<reason>a &lt; b &amp; c</reason>');
		expect(xml.contentType).toMatch(/xml/);
	});

	it('success carries the message id where the template asks for it', () => {
		const r = renderReply(getPreset('axigen')!.reply, { ok: true, messageId: '987' });
		expect(JSON.parse(r.body)).toEqual({ status: 'sent', messageId: '987' });
	});

	it('a fixed failure status applies to everything but auth refusals', () => {
		const spec = { ...getPreset('generic')!.reply, failureStatus: 500 };
		expect(renderReply(spec, fail('x', 400)).status).toBe(500);
		expect(renderReply(spec, fail('x', 401, 'unauthorized')).status).toBe(401);
	});
});

describe('duplicate window', () => {
	it('the second identical request within the window is a duplicate; after the window it is new', () => {
		let now = 1000;
		const w = new DuplicateWindow(() => now);
		const key = dedupeKey('wf', '+16505550123', 'hi');
		expect(w.claim(key, 60_000).first).toBe(true);
		expect(w.claim(key, 60_000).first).toBe(false);
		expect(w.claim(dedupeKey('wf', '+16505550123', 'other'), 60_000).first).toBe(true);
		now += 60_001;
		expect(w.claim(key, 60_000).first).toBe(true);
	});

	it('duplicates waiting for the first get its outcome; a definite failure frees the key', async () => {
		const w = new DuplicateWindow();
		const key = 'k';
		w.claim(key, 60_000);
		const waiting = w.waitFor(key, 60_000);
		w.settle(key, { ok: true, messageId: '1' }, false);
		await expect(waiting).resolves.toEqual({ ok: true, messageId: '1' });
		expect(w.claim(key, 60_000)).toMatchObject({ first: false, outcome: { ok: true } });

		w.claim('k2', 60_000);
		w.settle('k2', fail('refused'), true);
		expect(w.claim('k2', 60_000).first).toBe(true);
	});

	it('waitFor gives up with undefined when the first never settles', async () => {
		const w = new DuplicateWindow();
		w.claim('k', 60_000);
		await expect(w.waitFor('k', 5)).resolves.toBeUndefined();
	});
});

describe('settling from the reply status (queue mode, no reply node in this process)', () => {
	it('2xx is success; 4xx and 502 free the key; other 5xx keep it (may have been sent)', () => {
		expect(outcomeFromStatus(200)).toEqual({ outcome: { ok: true }, retryable: false });
		expect(outcomeFromStatus(400).retryable).toBe(true);
		expect(outcomeFromStatus(502).retryable).toBe(true);
		expect(outcomeFromStatus(500)).toMatchObject({ retryable: false, outcome: { ok: false, failure: { code: 'timeout' } } });
	});

	it('the first settle wins: the reply node outcome is not overwritten by the status', () => {
		const w = new DuplicateWindow();
		w.claim('k', 60_000);
		w.settle('k', { ok: true, messageId: '42' }, false);
		w.settle('k', { ok: false, failure: { status: 500, code: 'x', reason: 'y' } }, false);
		expect(w.claim('k', 60_000)).toMatchObject({ first: false, outcome: { ok: true, messageId: '42' } });
	});
});

describe('duplicate window shared through Redis (every webhook process of a cluster)', () => {
	const prefix = `test-dedupe-${process.pid}-${Date.now().toString(36)}:`;
	const redis = new Redis('redis://127.0.0.1:6379/0');
	afterAll(async () => {
		const keys: string[] = await redis.keys(`${prefix}*`);
		if (keys.length) await redis.del(...keys);
		await redis.quit();
	});

	it('a claim in one process is a duplicate in another, which gets the outcome the first one settled', async () => {
		const webhookA = new RedisDuplicateWindow(redis, prefix);
		const webhookB = new RedisDuplicateWindow(redis, prefix);
		const key = dedupeKey('wf', '+16505550123', 'hi');
		expect((await webhookA.claim(key, 60_000)).first).toBe(true);
		expect(await webhookB.claim(key, 60_000)).toEqual({ first: false, key, outcome: undefined });
		const waiting = webhookB.waitFor(key, 5_000);
		await new RedisDuplicateWindow(redis, prefix).settle(key, { ok: true, messageId: '7' }, false);
		await expect(waiting).resolves.toEqual({ ok: true, messageId: '7' });
		await webhookA.settle(key, fail('later, ignored'), true);
		expect(await webhookB.claim(key, 60_000)).toMatchObject({ first: false, outcome: { ok: true, messageId: '7' } });
	});

	it('a definite failure frees the key for a retry from any process; waiters still learn the failure', async () => {
		const a = new RedisDuplicateWindow(redis, prefix);
		const b = new RedisDuplicateWindow(redis, prefix);
		expect((await a.claim('k-fail', 60_000)).first).toBe(true);
		const waiting = b.waitFor('k-fail', 5_000);
		await a.settle('k-fail', fail('refused'), true);
		await expect(waiting).resolves.toMatchObject({ ok: false });
		expect((await b.claim('k-fail', 60_000)).first).toBe(true);
	});
});
