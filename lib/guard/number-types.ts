/**
 * Number types the guard can refuse, as libphonenumber's metadata classifies a number. Premium-rate,
 * shared-cost, UAN, voicemail and personal numbers are refused by default: they are where SMS pumping
 * earns money and none of them is a person's phone. Landlines are refused only when the metadata is
 * certain (`FIXED_LINE`); in countries such as the US it cannot tell them from mobiles
 * (`FIXED_LINE_OR_MOBILE`), and those are let through.
 */
import type { NumberType } from 'libphonenumber-js/max';

export type RefusableType = Exclude<NumberType, undefined | 'MOBILE' | 'FIXED_LINE_OR_MOBILE'>;

export const REFUSABLE_TYPES: ReadonlyArray<{ value: RefusableType; name: string }> = [
	{ value: 'PREMIUM_RATE', name: 'Premium-Rate' },
	{ value: 'SHARED_COST', name: 'Shared-Cost' },
	{ value: 'UAN', name: 'Universal Access (UAN)' },
	{ value: 'VOICEMAIL', name: 'Voicemail Access' },
	{ value: 'PERSONAL_NUMBER', name: 'Personal (Follow-Me)' },
	{ value: 'TOLL_FREE', name: 'Toll-Free' },
	{ value: 'VOIP', name: 'VoIP' },
	{ value: 'PAGER', name: 'Pager' },
	{ value: 'FIXED_LINE', name: 'Landline (Only Where Certain)' },
];

export const DEFAULT_REFUSED_TYPES: readonly RefusableType[] = ['PREMIUM_RATE', 'SHARED_COST', 'UAN', 'VOICEMAIL', 'PERSONAL_NUMBER'];

const KNOWN = new Set<string>(REFUSABLE_TYPES.map((t) => t.value));

/** What the editor stores (a list, or a comma string in a workflow file) → the known type names. */
export function parseRefusedTypes(value: unknown): RefusableType[] {
	if (value === undefined || value === null) return [...DEFAULT_REFUSED_TYPES];
	const list = Array.isArray(value) ? value.map(String) : String(value).split(/[,\s]+/);
	const out: RefusableType[] = [];
	for (const raw of list.map((s) => s.trim().toUpperCase()).filter(Boolean)) {
		if (!KNOWN.has(raw)) throw new Error(`"${raw.slice(0, 20)}" is not a number type the guard knows`);
		if (!out.includes(raw as RefusableType)) out.push(raw as RefusableType);
	}
	return out;
}

export function describeType(type: string): string {
	return REFUSABLE_TYPES.find((t) => t.value === type)?.name.toLowerCase() ?? type.toLowerCase();
}
