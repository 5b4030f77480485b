/**
 * Checks a password against the directory the way n8n's LDAP node cannot: search for the user with the
 * service account, then bind as the DN found with the password given. Every denial has a precise reason
 * for the workflow author; the caller must be told the same thing for all of them. A directory that does
 * not answer is an error (DirectoryError), never a denial and never a success.
 *
 * Timing: an unknown (or ambiguous) username still costs a bind, against a DN that does not exist, so the
 * server does the same round trips for "no such user" as for "wrong password". What remains is the
 * server's own difference between the two (e.g. ppolicy writing a failure time); `bench/directory.ts`
 * measures it.
 */
import { Client, InvalidCredentialsError, NoSuchObjectError, ResultCodeError, SizeLimitExceededError, type Entry } from 'ldapts';
import type { DirectoryConfig } from './config';
import { DirectoryError, misconfigured, unavailable } from './errors';
import { userFilter } from './filter';

export type DenialReason =
	/** Refused before contacting the server: an empty password is an unauthenticated bind that many servers accept. */
	| 'empty_password'
	/** Not a username or password we send to a server (control characters, over the length limits, not text). */
	| 'malformed'
	| 'unknown_user'
	/** The filter matched more than one entry: we never guess which person it is. */
	| 'ambiguous_user'
	| 'wrong_password'
	/** Locked by a password policy (OpenLDAP ppolicy) or Active Directory (error data 775). */
	| 'locked'
	/** Active Directory: disabled (533), expired account (701), password expired (532) or must be changed (773). */
	| 'disabled'
	| 'password_expired'
	/** The server refused the bind for another reason; `detail` has its result code. */
	| 'refused'
	/** The password is right but none of the username attributes has a value: nothing to hand back. */
	| 'no_usernames';

export interface LoginAttributes {
	/** Attributes whose values are the usernames handed back (all values, in order, without repeats). */
	usernames: string[];
	displayName: string;
	mail: string;
}

export const DEFAULT_ATTRIBUTES: LoginAttributes = { usernames: ['uid'], displayName: 'displayName', mail: 'mail' };

export interface DirectoryUser {
	dn: string;
	displayName: string | null;
	mail: string | null;
	usernames: string[];
}

export type LoginOutcome = { ok: true; user: DirectoryUser } | { ok: false; reason: DenialReason; detail: string };

export const MAX_USERNAME_LENGTH = 256;
export const MAX_PASSWORD_LENGTH = 1024;

/** Operational attributes that say an account is locked (OpenLDAP ppolicy, 389 DS / Oracle). */
const LOCK_ATTRIBUTES = ['pwdAccountLockedTime', 'nsAccountLock'];
const ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9-]*|[0-9]+(?:\.[0-9]+)+)(?:;[A-Za-z0-9-]+)*$/;
const CONTROL = /[\u0000-\u001f\u007f]/;

const deny = (reason: DenialReason, detail: string): LoginOutcome => ({ ok: false, reason, detail });

export function checkAttributes(input: Partial<LoginAttributes>): LoginAttributes {
	const attributes: LoginAttributes = {
		usernames: (input.usernames ?? DEFAULT_ATTRIBUTES.usernames).map((a) => a.trim()).filter(Boolean),
		displayName: (input.displayName ?? DEFAULT_ATTRIBUTES.displayName).trim(),
		mail: (input.mail ?? DEFAULT_ATTRIBUTES.mail).trim(),
	};
	if (attributes.usernames.length === 0) throw misconfigured('Name at least one Username Attribute (e.g. uid, or sAMAccountName for Active Directory).');
	for (const name of [...attributes.usernames, attributes.displayName, attributes.mail]) {
		if (!ATTRIBUTE_NAME.test(name)) throw misconfigured(`"${name.slice(0, 100)}" is not an LDAP attribute name.`);
	}
	return attributes;
}

/** The values of an attribute as text, whatever case the server used for its name. */
function valuesOf(entry: Entry, name: string): string[] {
	const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
	if (!key || key === 'dn') return [];
	const raw = entry[key];
	const list = Array.isArray(raw) ? raw : [raw];
	return list.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v))).filter((v) => v !== '');
}

function userOf(entry: Entry, attributes: LoginAttributes): DirectoryUser {
	const usernames: string[] = [];
	for (const name of attributes.usernames) for (const v of valuesOf(entry, name)) if (!usernames.includes(v)) usernames.push(v);
	const displayName = valuesOf(entry, attributes.displayName)[0] ?? valuesOf(entry, 'cn')[0] ?? null;
	return { dn: entry.dn, displayName, mail: valuesOf(entry, attributes.mail)[0] ?? null, usernames };
}

function isLockedEntry(entry: Entry): boolean {
	if (valuesOf(entry, 'pwdAccountLockedTime').length > 0) return true;
	return valuesOf(entry, 'nsAccountLock').some((v) => v.toLowerCase() === 'true');
}

/** Active Directory puts the real reason of a 49 in the diagnostic message as "data <hex>". */
function adReason(message: string): DenialReason | undefined {
	const code = /\bdata ([0-9a-f]{3,4})\b/i.exec(message)?.[1]?.toLowerCase();
	if (code === '775') return 'locked';
	if (code === '533' || code === '701') return 'disabled';
	if (code === '532' || code === '773') return 'password_expired';
	return undefined;
}

const networkMessage = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 300);

/** What to check first: the shape of what the caller sent. Undefined when it may go to the server. */
export function loginInputDenial(username: unknown, password: unknown): LoginOutcome | undefined {
	if (typeof username !== 'string' || username.trim() === '') return deny('malformed', 'the username is empty or not text');
	if (username.trim().length > MAX_USERNAME_LENGTH || CONTROL.test(username)) return deny('malformed', `the username is longer than ${MAX_USERNAME_LENGTH} characters or contains control characters`);
	if (typeof password !== 'string') return deny('malformed', 'the password is not text');
	if (password === '') return deny('empty_password', 'the password is empty (refused before contacting the directory)');
	if (password.length > MAX_PASSWORD_LENGTH || password.includes('\u0000')) return deny('malformed', `the password is longer than ${MAX_PASSWORD_LENGTH} characters or contains NUL`);
	return undefined;
}

async function serviceBind(client: Client, config: DirectoryConfig): Promise<void> {
	if (config.startTls) {
		try {
			await client.startTLS(config.tls);
		} catch (error) {
			throw unavailable(`StartTLS with ${config.url} failed: ${networkMessage(error)}`);
		}
	}
	try {
		await client.bind(config.bindDn, config.bindPassword);
	} catch (error) {
		if (error instanceof InvalidCredentialsError) throw misconfigured(`The directory refused the service account ${config.bindDn} (invalid credentials): check the Directory credential.`);
		if (error instanceof ResultCodeError) throw misconfigured(`The directory refused the service account bind: ${networkMessage(error)}`);
		throw unavailable(`The directory at ${config.url} could not be reached: ${networkMessage(error)}`);
	}
}

async function findEntries(client: Client, config: DirectoryConfig, filter: string, attributes: LoginAttributes): Promise<Entry[] | 'ambiguous'> {
	try {
		const { searchEntries } = await client.search(config.searchBase, {
			scope: 'sub',
			filter,
			attributes: [...new Set([...attributes.usernames, attributes.displayName, attributes.mail, 'cn', ...LOCK_ATTRIBUTES])],
			sizeLimit: 2,
			timeLimit: Math.ceil(config.timeoutMs / 1000),
		});
		return searchEntries;
	} catch (error) {
		if (error instanceof SizeLimitExceededError) return 'ambiguous';
		if (error instanceof NoSuchObjectError) throw misconfigured(`The Search Base ${config.searchBase} does not exist in the directory.`);
		if (error instanceof ResultCodeError) throw misconfigured(`The directory refused the user search: ${networkMessage(error)}`);
		throw unavailable(`The directory stopped answering during the user search: ${networkMessage(error)}`);
	}
}

/** ldapts speaks TLS from the first byte whenever TLS options are given, so they go only with ldaps://. */
function clientFor(config: DirectoryConfig): Client {
	return new Client({ url: config.url, timeout: config.timeoutMs, connectTimeout: config.timeoutMs, strictDN: true, ...(config.secure ? { tlsOptions: config.tls } : {}) });
}

/** A DN under the search base that names nobody: the bind for an unknown user goes there. */
const absentDn = (config: DirectoryConfig) => `cn=n8n-directory-login-absent-user,${config.searchBase}`;

export async function directoryLogin(config: DirectoryConfig, username: unknown, password: unknown, attributesInput: Partial<LoginAttributes> = {}): Promise<LoginOutcome> {
	const attributes = checkAttributes(attributesInput);
	const early = loginInputDenial(username, password);
	if (early) return early;
	const name = (username as string).trim();
	const filter = userFilter(config.userFilter, name);
	const client = clientFor(config);
	try {
		await serviceBind(client, config);
		const found = await findEntries(client, config, filter, attributes);
		const entry = Array.isArray(found) && found.length === 1 ? found[0] : undefined;
		const miss: LoginOutcome | undefined = entry
			? undefined
			: found === 'ambiguous' || found.length > 1
				? deny('ambiguous_user', `more than one entry matches ${filter} under ${config.searchBase}`)
				: deny('unknown_user', `no entry matches ${filter} under ${config.searchBase}`);
		try {
			await client.bind(entry ? entry.dn : absentDn(config), password as string);
		} catch (error) {
			if (miss) return miss;
			if (error instanceof InvalidCredentialsError) {
				const ad = adReason(error.message);
				if (ad) return deny(ad, `the directory refused ${entry!.dn}: ${networkMessage(error)}`);
				if (isLockedEntry(entry!)) return deny('locked', `${entry!.dn} is locked by the password policy`);
				return deny('wrong_password', `wrong password for ${entry!.dn}`);
			}
			if (error instanceof ResultCodeError) return deny('refused', `the directory refused the bind as ${entry!.dn}: ${networkMessage(error)}`);
			throw unavailable(`The directory stopped answering during the user bind: ${networkMessage(error)}`);
		}
		if (miss) return miss;
		const user = userOf(entry!, attributes);
		if (user.usernames.length === 0) return deny('no_usernames', `${user.dn} has no value in ${attributes.usernames.join(', ')}`);
		return { ok: true, user };
	} catch (error) {
		if (error instanceof DirectoryError) throw error;
		throw unavailable(`The directory at ${config.url} failed: ${networkMessage(error)}`);
	} finally {
		await client.unbind().catch(() => undefined);
	}
}

/** For the credential test: connect, bind as the service account, read the search base. */
export async function testDirectory(config: DirectoryConfig): Promise<string> {
	const client = clientFor(config);
	try {
		await serviceBind(client, config);
		try {
			await client.search(config.searchBase, { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'], sizeLimit: 1 });
		} catch (error) {
			if (error instanceof NoSuchObjectError) throw misconfigured(`The Search Base ${config.searchBase} does not exist in the directory.`);
			if (error instanceof ResultCodeError) throw misconfigured(`The service account cannot read the Search Base: ${networkMessage(error)}`);
			throw unavailable(`The directory stopped answering: ${networkMessage(error)}`);
		}
		return `Connected to ${config.url}${config.startTls ? ' (StartTLS)' : ''}, bound as the service account and found the search base.`;
	} finally {
		await client.unbind().catch(() => undefined);
	}
}
