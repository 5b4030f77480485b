import { PRESETS, getPreset, parseNameList, renderReply } from '../../../lib/gateway';
import { guardPolicy } from '../../../lib/guard';
import { callGateway } from './helpers';
import { PRESET_SHAPES } from './preset-shapes';

describe('presets table', () => {
	it('has the callers the issue names, each with unique id and usable reply', () => {
		const ids = PRESETS.map((p) => p.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const id of ['manageEngine', 'axigen', 'privacyIdea', 'keycloak', 'prtg', 'genesys', 'logto', 'curity', 'generic']) {
			expect(ids).toContain(id);
		}
		for (const p of PRESETS) {
			expect(p.fields.to.length).toBeGreaterThan(0);
			expect(p.reply.successStatus).toBeGreaterThanOrEqual(200);
			expect(p.reply.successStatus).toBeLessThan(300);
			// Failure template must be able to say why.
			expect(p.reply.failureBody).toContain('{reason}');
			// A failure must never look like a success to a substring check.
			if (p.reply.successBody) expect(p.reply.failureBody).not.toContain(p.reply.successBody);
		}
	});

	it('PRTG accepts GET only; privacyIDEA replies immediately (3 s timeout)', () => {
		expect(getPreset('prtg')?.methods).toBe('GET');
		expect(getPreset('privacyIdea')?.timing).toBe('immediately');
	});

	it('parses alias lists typed in the editor', () => {
		expect(parseNameList('mobileNumber, mobNo  to')).toEqual(['mobileNumber', 'mobNo', 'to']);
		expect(parseNameList('')).toEqual([]);
	});
});

describe('each preset turns its documented request shapes into the expected SMS', () => {
	it.each(PRESET_SHAPES.map((s) => [`${s.preset}: ${s.name}`, s] as const))('%s', async (_n, shape) => {
		const guard = guardPolicy({ allowedCountries: shape.allowedCountries }, getPreset(shape.preset)!.defaultCountry);
		const { result, reply } = await callGateway(shape.preset, shape, { guard });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.messages.map((m) => m.to)).toEqual(shape.expect.to);
		for (const m of result.messages) {
			expect(m.text).toBe(shape.expect.text);
			expect(m.preset).toBe(shape.preset);
			if (shape.expect.from) expect(m.from).toBe(shape.expect.from);
		}
		const preset = getPreset(shape.preset)!;
		expect(reply.status).toBe(preset.reply.successStatus);
		if (preset.reply.format !== 'empty') expect(reply.body).toContain(preset.reply.successBody.replace(/\{messageId\}.*/, '').slice(0, 8));
	});

	it('Curity: success is 200 with no body; invalid number is 400 {"error":"invalid-phonenumber"}', async () => {
		const ok = await callGateway('curity', { method: 'POST', contentType: 'application/json', body: '{"to":"+16505550143","message":"x"}' });
		expect(ok.reply).toEqual({ status: 200, body: '', contentType: undefined });
		const bad = await callGateway('curity', { method: 'POST', contentType: 'application/json', body: '{"to":"+1650","message":"x"}' });
		expect(bad.reply.status).toBe(400);
		expect(JSON.parse(bad.reply.body)).toMatchObject({ error: 'invalid-phonenumber' });
	});

	it('PRTG refuses POST with 405 in its own format', async () => {
		const { result, reply } = await callGateway('prtg', { method: 'POST', query: 'number=%2B16505550139&text=x' });
		expect(result).toMatchObject({ ok: false, failure: { status: 405 } });
		expect(reply.body).toMatch(/^ERROR: method POST/);
	});

	it('Logto without payload.code has no text', async () => {
		const { result } = await callGateway('logto', { method: 'POST', contentType: 'application/json', body: '{"to":"+16505550142","type":"SignIn","payload":{}}' });
		expect(result).toMatchObject({ ok: false, failure: { code: 'missing-text' } });
	});

	it('user overrides win over the preset (renamed parameters)', async () => {
		const preset = getPreset('generic')!;
		const { result } = await callGateway(
			'generic',
			{ query: 'dest=%2B16505550150&body=hi' },
			{ fields: { ...preset.fields, to: ['dest'], text: ['body'] } },
		);
		expect(result).toMatchObject({ ok: true, messages: [{ to: '+16505550150', text: 'hi' }] });
	});

	it('renders a sample failure for every preset with the reason', () => {
		for (const p of PRESETS) {
			const r = renderReply(p.reply, { ok: false, failure: { status: 502, code: 'send-failed', reason: 'RingCentral refused the number' } });
			expect(r.status).toBe(502);
			expect(r.body).toContain('RingCentral refused the number');
		}
	});
});
