/**
 * The `directoryApi` credential, checked before any connection: a URL we can reach with TLS settings that
 * make sense, a service account, a search base and a user filter with `{username}`.
 */
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { checkFilterTemplate } from './filter';
import { misconfigured } from './errors';

/** The fields of the `directoryApi` credential. */
export interface DirectoryCredential {
	url?: string;
	startTls?: boolean;
	bindDn?: string;
	bindPassword?: string;
	searchBase?: string;
	userFilter?: string;
	caCertificate?: string;
	allowUnauthorizedCerts?: boolean;
	timeoutSeconds?: number;
}

export interface DirectoryConfig {
	url: string;
	secure: boolean;
	startTls: boolean;
	tls: ConnectionOptions;
	bindDn: string;
	bindPassword: string;
	searchBase: string;
	userFilter: string;
	timeoutMs: number;
}

export const DEFAULT_TIMEOUT_SECONDS = 10;

export function directoryConfig(credential: DirectoryCredential | null | undefined): DirectoryConfig {
	if (!credential || typeof credential !== 'object') throw misconfigured('No Directory credential is selected on this node.');
	const url = String(credential.url ?? '').trim();
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw misconfigured(`The Directory credential's URL "${url.slice(0, 200)}" is not a URL; use ldaps://dc1.example.com:636 or ldap://ldap.example.com:389.`);
	}
	if (parsed.protocol !== 'ldap:' && parsed.protocol !== 'ldaps:') throw misconfigured(`The Directory credential's URL must start with ldap:// or ldaps:// (got ${parsed.protocol}//).`);
	if (!parsed.hostname) throw misconfigured("The Directory credential's URL has no host name.");
	const secure = parsed.protocol === 'ldaps:';
	const startTls = !secure && credential.startTls === true;
	const bindDn = String(credential.bindDn ?? '').trim();
	const bindPassword = String(credential.bindPassword ?? '');
	// An empty service password is an unauthenticated bind that many servers accept: refuse it.
	if (!bindDn || !bindPassword) throw misconfigured('The Directory credential needs a Service Account DN and its password (an anonymous search is not used).');
	const searchBase = String(credential.searchBase ?? '').trim();
	if (!searchBase) throw misconfigured("The Directory credential's Search Base is empty, e.g. ou=people,dc=example,dc=com.");
	const timeoutSeconds = Number(credential.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS);
	if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 120) throw misconfigured('The Directory credential\'s Timeout must be 1 to 120 seconds.');
	const tls: ConnectionOptions = { rejectUnauthorized: credential.allowUnauthorizedCerts !== true, minVersion: 'TLSv1.2' };
	const ca = String(credential.caCertificate ?? '').trim();
	if (ca) {
		if (!ca.includes('-----BEGIN CERTIFICATE-----')) throw misconfigured("The Directory credential's CA Certificate must be PEM (-----BEGIN CERTIFICATE-----).");
		tls.ca = ca;
	}
	// The certificate is checked against the host name in the URL (never an IP alias we made up).
	const host = parsed.hostname.replace(/^\[|\]$/g, '');
	if (isIP(host) === 0) tls.servername = host;
	return {
		url: `${parsed.protocol}//${parsed.host}`,
		secure,
		startTls,
		tls,
		bindDn,
		bindPassword,
		searchBase,
		userFilter: checkFilterTemplate(String(credential.userFilter ?? '(uid={username})')),
		timeoutMs: Math.round(timeoutSeconds * 1000),
	};
}
