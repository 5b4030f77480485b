import { PRESETS, renderReply } from '../../../lib/gateway';
import { BAD_INPUT } from './corpus';
import { callGateway } from './helpers';

describe('bad-input corpus: every request is refused with a 4xx and a reason', () => {
	it.each(BAD_INPUT.map((r) => [r.name, r] as const))('%s', async (_name, bad) => {
		const { result, reply } = await callGateway('generic', bad);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.failure.code).toBe(bad.code);
		if (bad.status !== '4xx') expect(result.failure.status).toBe(bad.status);
		expect(result.failure.status).toBeGreaterThanOrEqual(400);
		expect(result.failure.status).toBeLessThan(500);
		expect(result.failure.reason.length).toBeGreaterThan(10);
		// The reply carries the reason (JSON-escaped) and no stack trace.
		expect(JSON.parse(reply.body)).toMatchObject({ status: 'failed', error: bad.code, message: expect.any(String) });
		expect(reply.body).not.toMatch(/\bat .+\.(ts|js):\d+/);
	});

	it('the corpus is rendered in each preset format without its success token', async () => {
		for (const preset of PRESETS) {
			for (const bad of BAD_INPUT) {
				const { result } = await callGateway('generic', bad);
				if (result.ok) throw new Error(`${bad.name} was accepted`);
				const reply = renderReply(preset.reply, result);
				expect(reply.status).toBeGreaterThanOrEqual(400);
				if (preset.reply.successBody.length >= 2) expect(reply.body).not.toContain(preset.reply.successBody);
				expect(reply.body.length).toBeGreaterThan(0);
			}
		}
	});

	it('an XML entity bomb is not expanded (refused before parsing)', async () => {
		const bomb = BAD_INPUT.find((b) => b.name === 'XML entity bomb');
		const { result, reply } = await callGateway('generic', bomb!);
		expect(result).toMatchObject({ ok: false, failure: { code: 'malformed-xml' } });
		expect(reply.body).not.toContain('lollol');
	});
});
