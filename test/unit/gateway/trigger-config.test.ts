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
