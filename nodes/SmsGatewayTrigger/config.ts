import type { IWebhookFunctions } from 'n8n-workflow';
import {
	MAX_TEXT_UNITS,
	getPreset,
	parseAllowList,
	parseNameList,
	type GatewayAuth,
	type GatewayConfig,
	type ReplyFormat,
	type ReplyTiming,
} from '../../lib/gateway';
import { guardPolicy } from '../../lib/guard';
import { fieldName, type PerPresetField } from './description';

export const AUTH_CREDENTIAL = 'smsGatewayAuthApi';

export interface GatewayOptions {
	allowedCountries?: string;
	bodyTimeoutSeconds?: number;
	callerPerHour?: number;
	callerPerMinute?: number;
	destinationPerHour?: number;
	destinationPerMinute?: number;
	duplicateWindowSeconds?: number;
	refusedNumberTypes?: string[];
	failureStatus?: number;
	ipAllowList?: string;
	maxBodyKb?: number;
	maxRecipients?: number;
	maxTextLength?: number;
}

/** The trigger's parameters for the chosen preset, with the preset's values where a field is unset. */
export async function readConfig(ctx: IWebhookFunctions): Promise<{ config: GatewayConfig; options: GatewayOptions }> {
	const presetId = ctx.getNodeParameter('preset', 'generic') as string;
	const preset = getPreset(presetId) ?? getPreset('generic')!;
	const get = <T>(field: PerPresetField, fallback: T): T => ctx.getNodeParameter(fieldName(field, preset.id), fallback) as T;
	const options = ctx.getNodeParameter('gatewayOptions', {}) as GatewayOptions;

	let auth: GatewayAuth | undefined;
	if (ctx.getNodeParameter('authentication', 'none') === AUTH_CREDENTIAL) {
		auth = (await ctx.getCredentials(AUTH_CREDENTIAL)) as unknown as GatewayAuth;
	}
	const allowList = options.ipAllowList?.trim() ? parseAllowList(options.ipAllowList) : undefined;
	const defaultCountry = String(get('defaultCountry', preset.defaultCountry)).trim().toUpperCase();
	const guard = guardPolicy(
		{
			allowedCountries: options.allowedCountries,
			refusedTypes: options.refusedNumberTypes,
			destinationPerMinute: options.destinationPerMinute,
			destinationPerHour: options.destinationPerHour,
			callerPerMinute: options.callerPerMinute,
			callerPerHour: options.callerPerHour,
		},
		defaultCountry,
	);

	const config: GatewayConfig = {
		presetId: preset.id,
		fields: {
			to: parseNameList(get('toNames', preset.fields.to.join(','))),
			text: parseNameList(get('textNames', preset.fields.text.join(','))),
			from: parseNameList(get('fromNames', preset.fields.from.join(','))),
			countryCode: parseNameList(get('countryCodeNames', preset.fields.countryCode.join(','))),
			textTemplate: get('textTemplate', preset.fields.textTemplate),
		},
		defaultCountry,
		timing: get<ReplyTiming>('replyTiming', preset.timing),
		methods: String(get('methods', preset.methods)).split(','),
		reply: {
			format: get<ReplyFormat>('replyFormat', preset.reply.format),
			successStatus: Number(get('successStatus', preset.reply.successStatus)),
			successBody: get('successBody', preset.reply.successBody),
			failureBody: get('failureBody', preset.reply.failureBody),
			...(options.failureStatus ? { failureStatus: options.failureStatus } : {}),
		},
		maxTextLength: Math.min(options.maxTextLength ?? MAX_TEXT_UNITS, MAX_TEXT_UNITS),
		maxRecipients: options.maxRecipients ?? 10,
		auth,
		allowList,
		guard,
		allowAnyone: ctx.getNodeParameter('allowAnyone', false) === true,
		bodyDeadlineMs: Math.round((options.bodyTimeoutSeconds ?? 10) * 1000),
	};
	return { config, options };
}
