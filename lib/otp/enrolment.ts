/**
 * TOTP enrolment storage: the secret of an identifier kept in the OTP store, so a workflow never handles
 * it after enrolment (Twilio Verify's TOTP "factors" work the same way). The store holds it sealed with
 * AES-256-GCM under a key derived from the pepper (HMAC with a label of its own, so it is not the key
 * that seals resent SMS codes) and bound to the identity, so a store dump reveals no secret and a sealed
 * secret copied to another identifier does not open.
 *
 * Two slots per identifier: `pending` (created, not yet proven) and `active` (what a login checks). A new
 * secret starts pending; the person proves a first code from the app, and only then it becomes active
 * (replacing any older one). A pending secret older than `PENDING_LIFETIME_MS` is ignored.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Pepper } from './crypto';
import { checkTotpSettings, parseSecret, type TotpSettings } from './totp';
import type { OtpStore } from './types';

/** A person has this long to scan the QR code and prove the first code. */
export const PENDING_LIFETIME_MS = 30 * 60_000;

export interface EnrolledSecret {
	/** Base32 without padding. */
	secret: string;
	settings: TotpSettings;
	createdAt: number;
}

export type EnrolmentState = 'active' | 'pending';

export interface FoundSecret extends EnrolledSecret {
	state: EnrolmentState;
	/** The sealed form, to activate exactly this pending secret (compare-and-set). */
	sealed: string;
}

function sealKey(pepper: Pepper): Buffer {
	return Buffer.from(pepper.mac('n8n-otp/totp-enrolment-seal/v1'), 'hex');
}

function seal(pepper: Pepper, identity: string, value: EnrolledSecret): string {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', sealKey(pepper), iv);
	cipher.setAAD(Buffer.from(identity, 'utf8'));
	const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
	return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

/** Undefined when it does not open (another pepper, another identity, tampering). */
function unseal(pepper: Pepper, identity: string, sealed: string | undefined): EnrolledSecret | undefined {
	if (!sealed) return undefined;
	try {
		const raw = Buffer.from(sealed, 'base64');
		if (raw.length < 29) return undefined;
		const decipher = createDecipheriv('aes-256-gcm', sealKey(pepper), raw.subarray(0, 12));
		decipher.setAAD(Buffer.from(identity, 'utf8'));
		decipher.setAuthTag(raw.subarray(12, 28));
		const value = JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as EnrolledSecret;
		return parseSecret(value.secret) ? { secret: value.secret, settings: checkTotpSettings(value.settings), createdAt: Number(value.createdAt) } : undefined;
	} catch {
		return undefined;
	}
}

/** Stores a freshly created secret as the identifier's pending one (an active secret stays in use until this one is proven). */
export async function storePendingSecret(store: OtpStore, pepper: Pepper, identifier: string, secret: string, settings: Partial<TotpSettings> = {}, nowMs = Date.now()): Promise<void> {
	if (!parseSecret(secret)) throw new Error('internal: not a base32 TOTP secret');
	const identity = pepper.identity(identifier);
	await store.setPendingEnrolment(identity, seal(pepper, identity, { secret, settings: checkTotpSettings(settings), createdAt: nowMs }));
}

/**
 * The secret a verification uses: the active one, or — when `pending` is asked for (the enrolment's first
 * code) — the pending one if it is younger than PENDING_LIFETIME_MS. Undefined when there is none.
 */
export async function findSecret(store: OtpStore, pepper: Pepper, identifier: string, which: EnrolmentState, nowMs = Date.now()): Promise<FoundSecret | undefined> {
	const identity = pepper.identity(identifier);
	const record = await store.enrolment(identity);
	const sealed = which === 'active' ? record.active : record.pending;
	const value = unseal(pepper, identity, sealed);
	if (!value || !sealed) return undefined;
	if (which === 'pending' && !(nowMs - value.createdAt < PENDING_LIFETIME_MS)) return undefined;
	return { ...value, state: which, sealed };
}

/** The first code was right: the pending secret becomes the active one. False when it changed meanwhile. */
export async function activateSecret(store: OtpStore, pepper: Pepper, identifier: string, found: FoundSecret): Promise<boolean> {
	return store.activateEnrolment(pepper.identity(identifier), found.sealed);
}

/** The administrator path (lost phone): forgets both secrets; the person enrols again. */
export async function removeEnrolment(store: OtpStore, pepper: Pepper, identifier: string): Promise<boolean> {
	return store.removeEnrolment(pepper.identity(identifier));
}
