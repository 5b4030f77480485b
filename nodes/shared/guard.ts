/**
 * The abuse guard (lib/guard) as node options: the same fields on OTP Generate and RingCentral Send, read
 * the same way, and its refusals as item failures with a stable reason. The SMS Gateway Trigger has its
 * own copy of these fields in its Options (plus the per-caller limits only a webhook has).
 */
/* eslint-disable n8n-nodes-base/node-param-default-missing -- the defaults are set, from lib/guard's constants; the rule only sees literals */
import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import {
	DEFAULT_PER_DESTINATION,
	DEFAULT_REFUSED_TYPES,
	REFUSABLE_TYPES,
	checkRecipient,
	guardPolicy,
	takeRecipientSlots,
	type GuardPolicy,
	type RecipientResult,
} from '../../lib/guard';
import { ItemError } from './errors';

export interface GuardOptionValues {
	allowedCountries?: string;
	refusedNumberTypes?: string[];
	destinationPerMinute?: number;
	destinationPerHour?: number;
}

/** The guard's fields for a node's Options collection; `show` limits them (e.g. to a switch being on). */
export function guardOptionFields(show?: IDisplayOptions['show']): INodeProperties[] {
	const displayOptions = show ? { displayOptions: { show } } : {};
	return [
		{
			displayName: 'Allowed Countries',
			name: 'allowedCountries',
			type: 'string',
			default: '',
			placeholder: 'US, CA',
			description:
				'Two-letter codes of the countries that may be texted; other numbers fail before anything is sent. Empty = the Default Country only; * = every country. Protects against SMS pumping (toll fraud).',
			...displayOptions,
		},
		{
			displayName: 'Destination Limit per Hour',
			name: 'destinationPerHour',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: DEFAULT_PER_DESTINATION.perHour,
			description: 'SMS one number may receive per hour from this node; more fail with rate_limited. 0 = no limit. Shared through Redis when N8N_RINGCENTRAL_REDIS_URL is set.',
			...displayOptions,
		},
		{
			displayName: 'Destination Limit per Minute',
			name: 'destinationPerMinute',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: DEFAULT_PER_DESTINATION.perMinute,
			description: 'SMS one number may receive per minute from this node; more fail with rate_limited. 0 = no limit.',
			...displayOptions,
		},
		{
			displayName: 'Refused Number Types',
			name: 'refusedNumberTypes',
			type: 'multiOptions',
			options: REFUSABLE_TYPES.map((t) => ({ name: t.name, value: t.value })),
			default: [...DEFAULT_REFUSED_TYPES],
			description:
				"Numbers of these types (from libphonenumber's metadata) fail before anything is sent. Landlines only where the metadata is certain: it cannot tell US landlines from mobiles.",
			...displayOptions,
		},
	];
}

/** The policy from the node's options; a bad country code or type is the workflow author's to fix. */
export function readGuardPolicy(options: GuardOptionValues, defaultCountry: string, field = 'options'): GuardPolicy {
	try {
		return guardPolicy(
			{
				allowedCountries: options.allowedCountries,
				refusedTypes: options.refusedNumberTypes,
				destinationPerMinute: options.destinationPerMinute,
				destinationPerHour: options.destinationPerHour,
			},
			defaultCountry,
			false,
		);
	} catch (error) {
		throw new ItemError(`${(error as Error).message}.`, { reason: 'misconfigured', field });
	}
}

function refusal(result: Extract<RecipientResult, { ok: false }>, field: string, what: string): ItemError {
	const message = `${field === 'to' ? 'To' : 'Send To'}: ${result.reason}; ${what}.`;
	if (result.code === 'rate-limited') return new ItemError(message, { reason: 'rate_limited', field, details: { retryAfterSeconds: result.retryAfterSeconds ?? 60 } });
	if (result.code === 'guard-unavailable') return new ItemError(message, { reason: 'store_unavailable', field });
	if (result.code === 'invalid-phonenumber' || result.code === 'ambiguous-phonenumber') return new ItemError(message, { reason: 'invalid_phone', field });
	return new ItemError(message, { reason: 'invalid_input', field, details: { guard: result.code } });
}

/** One number through the country and type checks: its E.164, or an item failure naming `field`. */
export function guardedNumber(raw: unknown, policy: GuardPolicy, defaultCountry: string, field: string, what: string): string {
	const result = checkRecipient(raw, policy, defaultCountry);
	if (!result.ok) throw refusal(result, field, what);
	return result.e164;
}

/** The destination limits for `numbers` (all or none), scoped to this node of this workflow. */
export async function takeGuardSlots(ctx: IExecuteFunctions, policy: GuardPolicy, numbers: readonly string[], field: string, what: string): Promise<void> {
	// getWorkflow is missing on some test hosts: the node name alone still separates the limits.
	const workflowId = typeof ctx.getWorkflow === 'function' ? (ctx.getWorkflow().id ?? '') : '';
	const scope = `node:${workflowId}:${ctx.getNode().name}`;
	const taken = await takeRecipientSlots(policy, scope, numbers);
	if (!taken.ok) throw refusal(taken as Extract<RecipientResult, { ok: false }>, field, what);
}
