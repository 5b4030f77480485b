/**
 * Authenticator-app codes (RFC 6238). otpauth does the HOTP/TOTP maths; this module adds what a server
 * needs around it: secrets from the CSPRNG, constant-time matching that tells *which* step matched, and
 * refusing a step that was already accepted (through the store, atomically).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { HOTP, Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { OtpConfigError, type Pepper } from './crypto';
import { checkFailureRule, failureOutcome, type FailureOutcome } from './failures';
import type { FailureRule, OtpStore, TotpDenyReason } from './types';

export type TotpAlgorithm = 'SHA1' | 'SHA256' | 'SHA512';

export interface TotpSettings {
	algorithm: TotpAlgorithm;
	digits: 6 | 7 | 8;
	period: number;
}

export const DEFAULT_TOTP: TotpSettings = { algorithm: 'SHA1', digits: 6, period: 30 };

/** Secret length per algorithm: the HMAC block output size, as RFC 6238 recommends. */
const SECRET_BYTES: Record<TotpAlgorithm, number> = { SHA1: 20, SHA256: 32, SHA512: 64 };

export function checkTotpSettings(input: Partial<TotpSettings> = {}): TotpSettings {
	const s = { ...DEFAULT_TOTP, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as TotpSettings;
	if (!['SHA1', 'SHA256', 'SHA512'].includes(s.algorithm)) throw new OtpConfigError(`Unknown TOTP algorithm "${String(s.algorithm)}".`);
	if (![6, 7, 8].includes(s.digits)) throw new OtpConfigError('TOTP codes have 6, 7 or 8 digits.');
	if (!Number.isInteger(s.period) || s.period < 15 || s.period > 120) throw new OtpConfigError('The TOTP period must be 15 to 120 seconds.');
	return s;
}

export interface TotpEnrollment {
	/** Base32 without padding: what an authenticator app accepts when typed in by hand. */
	secret: string;
	uri: string;
	qrPng: Buffer;
	qrDataUrl: string;
}

export async function createTotpSecret(options: { issuer: string; account: string } & Partial<TotpSettings>): Promise<TotpEnrollment> {
	const settings = checkTotpSettings(options);
	const issuer = options.issuer.trim();
	const account = options.account.trim();
	if (!issuer) throw new OtpConfigError('The issuer (your service name, shown in the authenticator app) is empty.');
	if (!account) throw new OtpConfigError('The account name (shown in the authenticator app) is empty.');
	if (issuer.includes(':') || account.includes(':')) throw new OtpConfigError('Issuer and account name may not contain ":" (it separates them in the otpauth URI).');
	const secret = new Secret({ buffer: new Uint8Array(randomBytes(SECRET_BYTES[settings.algorithm])).buffer });
	const totp = new TOTP({ issuer, label: account, secret, ...settings });
	const uri = totp.toString();
	const qrPng = await QRCode.toBuffer(uri, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 256 });
	return { secret: secret.base32.replace(/=+$/, ''), uri, qrPng, qrDataUrl: `data:image/png;base64,${qrPng.toString('base64')}` };
}

/** Decodes a stored base32 secret; undefined when it is not one. */
export function parseSecret(base32: unknown): Secret | undefined {
	if (typeof base32 !== 'string') return undefined;
	const clean = base32.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
	if (!/^[A-Z2-7]{16,128}$/.test(clean)) return undefined;
	try {
		return Secret.fromBase32(clean);
	} catch {
		return undefined;
	}
}

/**
 * The time step whose token equals `token`, looking `window` steps either side of now; -1 if none.
 * Every candidate is computed and compared (no early exit), so timing does not say which one matched.
 */
export function matchTotpStep(token: string, secret: Secret, settings: TotpSettings, nowMs: number, window = 1): number {
	const current = Math.floor(nowMs / 1000 / settings.period);
	const given = Buffer.from(token, 'utf8');
	let matched = -1;
	for (let step = current - window; step <= current + window; step++) {
		if (step < 0) continue;
		const expected = Buffer.from(HOTP.generate({ secret, algorithm: settings.algorithm, digits: settings.digits, counter: step }), 'utf8');
		if (expected.length === given.length && timingSafeEqual(expected, given) && matched < 0) matched = step;
	}
	return matched;
}

export type TotpVerifyOutcome = { approved: true; step: number } | ({ approved: false; reason: TotpDenyReason | 'malformed' } & FailureOutcome);

export interface TotpVerifyRequest extends Partial<FailureRule> {
	/** Normalised identifier; its failure count is shared with SMS codes (see failures.ts). */
	identifier: string;
	secret: string;
	token: unknown;
	settings?: Partial<TotpSettings>;
	/** Steps accepted either side of the current one (RFC 6238 suggests 1). */
	window?: number;
	/** The time the token is checked against (ms); defaults to now. */
	nowMs?: number;
}

/**
 * Checks a TOTP and records its step so the same code (or an older one) is never accepted again. Every
 * wrong or replayed code counts one failure toward the identifier's lockouts and ceiling; a malformed
 * token is denied without counting.
 */
export async function verifyTotp(store: OtpStore, pepper: Pepper, request: TotpVerifyRequest): Promise<TotpVerifyOutcome> {
	const settings = checkTotpSettings(request.settings);
	const rule = checkFailureRule({ failureCeiling: request.failureCeiling, lockoutMs: request.lockoutMs, failuresPerLockout: request.failuresPerLockout });
	const window = request.window ?? 1;
	if (!Number.isInteger(window) || window < 0 || window > 2) throw new OtpConfigError('The TOTP window must be 0, 1 or 2 steps.');
	const secret = parseSecret(request.secret);
	if (!secret) throw new OtpConfigError('The TOTP secret is not a base32 secret (letters A–Z and digits 2–7).');
	const token = typeof request.token === 'string' && request.token.length <= 32 ? request.token.replace(/[\s-]/g, '') : undefined;
	if (token === undefined || !new RegExp(`^[0-9]{${settings.digits}}$`).test(token)) return { approved: false, reason: 'malformed' };
	const step = matchTotpStep(token, secret, settings, request.nowMs ?? Date.now(), window);
	const result = await store.checkTotp({
		identity: pepper.identity(request.identifier),
		subject: pepper.totpSubject(request.identifier, secret.base32),
		step,
		...rule,
		rememberMs: (2 * window + 2) * settings.period * 1000,
	});
	if (result.approved) return result;
	const { lockedUntil, ended, ...denial } = result;
	return { ...denial, ...failureOutcome({ lockedUntil, ended }) };
}
