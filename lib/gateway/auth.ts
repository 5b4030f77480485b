/**
 * Who may ask for an SMS. Secrets are compared as SHA-256 digests with timingSafeEqual, so neither the
 * content nor the length of the expected secret leaks through response timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import { failure, type GatewayFailure } from './failure';

export type AuthType = 'none' | 'basicAuth' | 'bearer' | 'header' | 'query';

/** The fields of the `smsGatewayAuthApi` credential. */
export interface GatewayAuth {
	authType: AuthType;
	user?: string;
	password?: string;
	token?: string;
	/** Header or query parameter that carries the token. */
	name?: string;
}

export interface AuthRequest {
	headers: Record<string, string | string[] | undefined>;
	query: Record<string, unknown>;
}

export type AuthResult = { ok: true } | { ok: false; failure: GatewayFailure; wwwAuthenticate?: string };

export function safeEqual(given: string, expected: string): boolean {
	const a = createHash('sha256').update(given, 'utf8').digest();
	const b = createHash('sha256').update(expected, 'utf8').digest();
	return timingSafeEqual(a, b);
}

function header(req: AuthRequest, name: string): string | undefined {
	const value = req.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

const refused = (reason: string, wwwAuthenticate?: string): AuthResult => ({
	...failure(401, 'unauthorized', reason),
	...(wwwAuthenticate ? { wwwAuthenticate } : {}),
});

export function checkAuth(auth: GatewayAuth | undefined, req: AuthRequest): AuthResult {
	const type = auth?.authType ?? 'none';
	if (!auth || type === 'none') return { ok: true };
	// A credential saved without its secret would otherwise accept an empty secret: refuse instead.
	if (type === 'basicAuth') {
		if (!auth.user || !auth.password) return refused('the gateway credential has no user or password set');
		const value = header(req, 'authorization') ?? '';
		const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value);
		if (!match) return refused('Basic authentication is required', 'Basic realm="sms-gateway"');
		const decoded = Buffer.from(match[1], 'base64').toString('utf8');
		const colon = decoded.indexOf(':');
		const user = colon >= 0 ? decoded.slice(0, colon) : decoded;
		const password = colon >= 0 ? decoded.slice(colon + 1) : '';
		// Both comparisons always run: no early exit that tells a valid user from an invalid one.
		const userOk = safeEqual(user, auth.user);
		const passwordOk = safeEqual(password, auth.password);
		return userOk && passwordOk ? { ok: true } : refused('wrong user or password', 'Basic realm="sms-gateway"');
	}
	if (!auth.token) return refused('the gateway credential has no token set');
	if (type === 'bearer') {
		const match = /^Bearer\s+(\S+)\s*$/i.exec(header(req, 'authorization') ?? '');
		if (!match) return refused('a Bearer token is required', 'Bearer');
		return safeEqual(match[1], auth.token) ? { ok: true } : refused('wrong token', 'Bearer');
	}
	if (!auth.name) return refused('the gateway credential does not name the header or parameter that carries the token');
	if (type === 'header') {
		const value = header(req, auth.name);
		if (value === undefined) return refused(`header "${auth.name}" is required`);
		return safeEqual(value, auth.token) ? { ok: true } : refused('wrong token');
	}
	if (type === 'query') {
		const raw = req.query[auth.name];
		const value = Array.isArray(raw) ? raw[0] : raw;
		if (typeof value !== 'string') return refused(`query parameter "${auth.name}" is required`);
		return safeEqual(value, auth.token) ? { ok: true } : refused('wrong token');
	}
	return refused('unknown authentication type');
}

/** `::ffff:10.0.0.1` → `10.0.0.1` so IPv4 rules match IPv4 callers reaching an IPv6 socket. */
export function normalizeIp(ip: string): string {
	const trimmed = ip.trim().replace(/^\[|\]$/g, '');
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
	return mapped ? mapped[1] : trimmed;
}

export interface AllowList {
	check(ip: string): boolean;
	readonly empty: boolean;
}

/** `10.0.0.0/8, 192.168.1.5, 2001:db8::/32` → a checker; an invalid entry throws with its text. */
export function parseAllowList(text: string): AllowList {
	const list = new BlockList();
	const entries = text
		.split(/[,\s]+/)
		.map((e) => e.trim())
		.filter(Boolean);
	for (const entry of entries) {
		const [addr, bits] = entry.split('/');
		const ip = normalizeIp(addr);
		const family = isIP(ip);
		if (family === 0) throw new Error(`"${entry}" in the IP allow-list is not an IP address or CIDR range`);
		const type = family === 6 ? 'ipv6' : 'ipv4';
		if (bits === undefined) list.addAddress(ip, type);
		else {
			const prefix = Number(bits);
			if (!/^\d+$/.test(bits) || prefix > (family === 6 ? 128 : 32)) throw new Error(`"${entry}" in the IP allow-list has an invalid prefix length`);
			list.addSubnet(ip, prefix, type);
		}
	}
	return {
		empty: entries.length === 0,
		check(callerIp: string): boolean {
			if (entries.length === 0) return true;
			const ip = normalizeIp(callerIp);
			const family = isIP(ip);
			if (family === 0) return false;
			return list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
		},
	};
}
