/**
 * The user filter: the credential's template with `{username}` replaced by the username escaped as RFC
 * 4515 §3 asks (`*`, `(`, `)`, `\` and NUL as `\2a`, `\28`, `\29`, `\5c`, `\00`), so `*` or `)(uid=*`
 * typed as a username is a literal value and never widens the search.
 */
import { Filter, FilterParser } from 'ldapts';
import { misconfigured } from './errors';

export const USERNAME_PLACEHOLDER = '{username}';

/** Throws (misconfigured) when the template has no placeholder or is not a filter. */
export function checkFilterTemplate(template: string): string {
	const t = template.trim();
	if (!t.includes(USERNAME_PLACEHOLDER)) {
		throw misconfigured(`The Directory credential's User Filter must contain ${USERNAME_PLACEHOLDER}, e.g. (uid={username}) or (sAMAccountName={username}).`);
	}
	try {
		FilterParser.parseString(t.split(USERNAME_PLACEHOLDER).join('x'));
	} catch {
		throw misconfigured(`The Directory credential's User Filter "${t.slice(0, 200)}" is not an LDAP filter (RFC 4515), e.g. (&(objectClass=person)(uid={username})).`);
	}
	return t;
}

export function userFilter(template: string, username: string): string {
	return checkFilterTemplate(template).split(USERNAME_PLACEHOLDER).join(Filter.escape(username));
}
