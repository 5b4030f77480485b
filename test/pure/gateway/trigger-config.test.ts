import type { INodeProperties, IWebhookFunctions } from 'n8n-workflow';
import { PRESETS, configFromPreset } from '../../../lib/gateway';
import { readConfig } from '../../../nodes/SmsGatewayTrigger/config';
import { PER_PRESET_FIELDS, fieldName, triggerProperties } from '../../../nodes/SmsGatewayTrigger/description';
import { SmsGatewayTrigger } from '../../../nodes/SmsGatewayTrigger/SmsGatewayTrigger.node';

/** A webhook context whose parameters are the editor defaults plus `overrides`, as n8n resolves them. */
function fakeContext(preset: string, overrides: Record<string, unknown> = {}): IWebhookFunctions {
	const values: Record<string, unknown> = { preset, authentication: 'none', gatewayOptions: {} };
	for (const p of triggerProperties) {
		const shown = (p.displayOptions?.show?.preset as string[] | undefined) ?? [preset];
		if (shown.includes(preset) && !(p.name in values)) values[p.name] = p.default;
	}
	Object.assign(values, overrides);
	return {
		getNodeParameter: (name: string, fallback?: unknown) => (name in values ? values[name] : fallback),
		getCredentials: async () => ({}),
	} as unknown as IWebhookFunctions;
}

describe('trigger editor fields are generated from the presets table', () => {
	it('every preset has its own pre-filled copy of every field', () => {
		for (const preset of PRESETS) {
			for (const field of PER_PRESET_FIELDS) {
				const prop = triggerProperties.find((p) => p.name === fieldName(field, preset.id)) as INodeProperties;
				expect(prop).toBeDefined();
				expect(prop.displayOptions?.show?.preset).toEqual([preset.id]);
			}
		}
		const names = triggerProperties.map((p) => p.name);
		expect(new Set(names).size).toBe(names.length);
	});

	it.each(PRESETS.map((p) => [p.id] as const))('%s: the untouched fields give exactly the preset', async (id) => {
		const preset = PRESETS.find((p) => p.id === id)!;
		const { config } = await readConfig(fakeContext(id));
		const expected = configFromPreset(preset);
		expect({ ...config, auth: undefined, allowList: undefined }).toEqual({ ...expected, auth: undefined, allowList: undefined });
	});

	it('an edited field overrides the preset (renamed parameter, other reply token)', async () => {
		const { config } = await readConfig(
			fakeContext('manageEngine', { [fieldName('toNames', 'manageEngine')]: 'phone, cell', [fieldName('successBody', 'manageEngine')]: 'SENT-OK' }),
		);
		expect(config.fields.to).toEqual(['phone', 'cell']);
		expect(config.reply.successBody).toBe('SENT-OK');
		expect(config.fields.text).toEqual(PRESETS[0].fields.text);
	});

	it('a bad allow-list entry is a configuration error, not a crash', async () => {
		await expect(readConfig(fakeContext('generic', { gatewayOptions: { ipAllowList: '10.0.0.0/40' } }))).rejects.toThrow(/prefix length/);
	});

	it('the webhook asks n8n for the raw body (hidden options.binaryData on a version-1 node) and answers GET and POST', () => {
		const d = new SmsGatewayTrigger().description;
		expect(d.version).toBe(1);
		expect(triggerProperties.find((p) => p.name === 'options')).toMatchObject({ type: 'hidden', default: { binaryData: true } });
		expect(d.webhooks?.[0]).toMatchObject({ httpMethod: 'GET,POST', isFullPath: true });
	});
});

describe('editor hints follow the configured replies', () => {
	const hintsShownFor = (preset: string, values: Record<string, unknown>) =>
		triggerProperties.filter((p) => {
			if (p.type !== 'notice' || !p.name.startsWith(`replyHint_${preset}`)) return false;
			const show = (p.displayOptions?.show ?? {}) as Record<string, unknown[]>;
			return Object.entries(show).every(([k, allowed]) => allowed.includes(k === 'preset' ? preset : values[k]));
		});

	it("ManageEngine template's replies (success / failure: {reason}) → the hint quotes success and failure", () => {
		const shown = hintsShownFor('manageEngine', { successBody_manageEngine: 'success', failureBody_manageEngine: 'failure: {reason}' });
		expect(shown).toHaveLength(1);
		expect(shown[0].displayName).toContain('Success response <b>success</b>, Failure response <b>failure</b>');
	});

	it('the preset defaults → the hint quotes SUCCESS and FAILED; other replies → no hint that could disagree', () => {
		const shown = hintsShownFor('manageEngine', { successBody_manageEngine: 'SUCCESS', failureBody_manageEngine: 'FAILED: {reason}' });
		expect(shown.map((p) => p.displayName)).toEqual([expect.stringContaining('Success response <b>SUCCESS</b>, Failure response <b>FAILED</b>')]);
		expect(hintsShownFor('manageEngine', { successBody_manageEngine: 'OK-SENT', failureBody_manageEngine: 'NO: {reason}' })).toHaveLength(0);
	});

	it('the setup hints of callers that compare strings quote none of their own (the fields may differ)', () => {
		for (const id of ['manageEngine', 'rsa']) {
			const hint = triggerProperties.find((x) => x.name === `setupHint_${id}`)!.displayName;
			const { successBody, failureBody } = PRESETS.find((p) => p.id === id)!.reply;
			expect(hint).not.toContain(successBody);
			expect(hint).not.toContain(failureBody.split(':')[0]);
		}
	});
});

describe('editor hints: privacyIDEA', () => {
	it("the template's SENT / FAILED replies → the hint says what to put in RETURN_SUCCESS and RETURN_FAIL", () => {
		const values: Record<string, unknown> = { preset: 'privacyIdea', successBody_privacyIdea: 'SENT', failureBody_privacyIdea: 'FAILED: {reason}' };
		const shown = triggerProperties.filter(
			(p) => p.name.startsWith('replyHint_privacyIdea') && Object.entries((p.displayOptions?.show ?? {}) as Record<string, unknown[]>).every(([k, v]) => v.includes(values[k])),
		);
		expect(shown.map((p) => p.displayName)).toEqual([expect.stringContaining('RETURN_SUCCESS <b>SENT</b>, RETURN_FAIL <b>FAILED</b>')]);
	});
});
