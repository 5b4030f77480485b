/** The *Allowed Countries* setting: ISO 3166 alpha-2 codes, or `*` for every country. */
import { isSupportedCountry } from 'libphonenumber-js/max';

export type AllowedCountries = readonly string[] | '*';

/**
 * `"US, CA"` → `['US', 'CA']`; empty → the default country only. An unknown code throws with its text:
 * a typo must not silently allow nothing (or everything).
 */
export function parseAllowedCountries(value: unknown, defaultCountry: string): AllowedCountries {
	const text = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : '';
	const entries = text
		.split(/[,;\s]+/)
		.map((s) => s.trim().toUpperCase())
		.filter(Boolean);
	if (entries.includes('*')) return '*';
	const fallback = defaultCountry.trim().toUpperCase();
	const list = entries.length > 0 ? entries : fallback ? [fallback] : [];
	for (const code of list) {
		if (!isSupportedCountry(code)) throw new Error(`"${code.slice(0, 10)}" in Allowed Countries is not a two-letter country code`);
	}
	return [...new Set(list)];
}

export function countryAllowed(country: string | undefined, allowed: AllowedCountries): boolean {
	if (allowed === '*') return true;
	return !!country && allowed.includes(country.toUpperCase());
}

export function describeAllowed(allowed: AllowedCountries): string {
	return allowed === '*' ? 'every country' : allowed.length === 0 ? 'no country' : allowed.join(', ');
}
