/**
 * Keyed hashing and sealing with the pepper from the OTP Store credential. The pepper never reaches the
 * store: whoever reads Redis (or a heap dump of a memory store without the credential) gets HMACs that
 * cannot be brute-forced, because a 6-digit space is only hard to search when the hash is keyed.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** 16 bytes of entropy as hex; `openssl rand -hex 32` gives 64 characters. */
export const MIN_PEPPER_LENGTH = 32;

export class OtpConfigError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'OtpConfigError';
	}
}

const FIX = `Open the OTP Store credential and set Pepper to a random secret of at least ${MIN_PEPPER_LENGTH} characters (generate one with: openssl rand -hex 32), the same on every n8n instance that shares the store.`;

/**
 * What is wrong with a pepper, as a sentence that says how to fix it; undefined when it is usable. Never
 * echoes the value or its length: only what is needed.
 */
export function pepperProblem(secret: unknown): string | undefined {
	if (secret === undefined || secret === null || (typeof secret === 'string' && secret.trim() === '')) return `The OTP Store credential has no Pepper. ${FIX}`;
	if (typeof secret !== 'string') return `The OTP Store credential's Pepper is not text. ${FIX}`;
	if (secret.trim().length < MIN_PEPPER_LENGTH) {
		return `The OTP Store credential's Pepper is too short: it needs at least ${MIN_PEPPER_LENGTH} characters (spaces at either end do not count). ${FIX}`;
	}
	return undefined;
}

export class Pepper {
	private readonly key: Buffer;
	private readonly sealKey: Buffer;

	constructor(secret: unknown) {
		const problem = pepperProblem(secret);
		if (problem !== undefined) throw new OtpConfigError(problem);
		this.key = Buffer.from((secret as string).trim(), 'utf8');
		this.sealKey = Buffer.from(hkdfSync('sha256', this.key, 'n8n-nodes-ringcentral-sms', 'otp-code-seal/v1', 32));
	}

	/** HMAC-SHA-256 over NUL-separated parts with a domain label, as hex. */
	mac(domain: string, ...parts: string[]): string {
		const h = createHmac('sha256', this.key);
		h.update(domain);
		for (const part of parts) {
			h.update('\u0000');
			h.update(part);
		}
		return h.digest('hex');
	}

	/** Who: the identifier alone (send limits and failure counts are per identifier, across purposes). */
	identity(identifier: string): string {
		return this.mac('n8n-otp/identity/v1', identifier);
	}

	/** Who and what a code is for: the identifier and purpose, never stored in clear. */
	subject(identifier: string, purpose: string): string {
		return this.mac('n8n-otp/subject/v1', purpose, identifier);
	}

	/** The only form in which a code is stored. `binding` ties it to e.g. an amount and payee (PSD2). */
	codeHash(subject: string, code: string, binding = ''): string {
		return this.mac('n8n-otp/code/v1', subject, binding, code);
	}

	totpSubject(identifier: string, secretBase32: string): string {
		return this.mac('n8n-otp/totp/v1', identifier, this.mac('n8n-otp/totp-secret/v1', secretBase32));
	}

	/**
	 * AES-256-GCM with a pepper-derived key, bound to the subject. Only used for "re-send the same code",
	 * which needs the code back; a store dump alone still reveals nothing.
	 */
	seal(subject: string, code: string): string {
		const iv = randomBytes(12);
		const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
		cipher.setAAD(Buffer.from(subject, 'utf8'));
		const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
		return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
	}

	unseal(subject: string, sealed: string): string | undefined {
		try {
			const raw = Buffer.from(sealed, 'base64');
			if (raw.length < 29) return undefined;
			const decipher = createDecipheriv('aes-256-gcm', this.sealKey, raw.subarray(0, 12));
			decipher.setAAD(Buffer.from(subject, 'utf8'));
			decipher.setAuthTag(raw.subarray(12, 28));
			return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
		} catch {
			// A pepper change makes old sealed codes unreadable; the caller then issues a fresh code.
			return undefined;
		}
	}
}

/** Constant-time equality of two hex digests (length checked first: timingSafeEqual throws otherwise). */
export function digestsEqual(a: string, b: string): boolean {
	const x = Buffer.from(a, 'hex');
	const y = Buffer.from(b, 'hex');
	return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
