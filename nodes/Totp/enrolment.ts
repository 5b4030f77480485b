/**
 * Enrolment storage for the TOTP node: Enrol creates a secret and stores it (pending) for an identifier;
 * Verify Code with "Secret: Enrolled for the Identifier" looks it up, so the workflow never handles it.
 * The pending secret becomes active only when Verify Code with "Confirm Enrolment" approves its first code.
 * An identifier with an active secret is not enrolled again (reason already_enrolled).
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import {
	activateSecret,
	createTotpSecret,
	findSecret,
	normalizeIdentifier,
	storePendingSecret,
	PENDING_LIFETIME_MS,
	type FoundSecret,
	type OtpStore,
	type Pepper,
	type TotpAlgorithm,
} from '../../lib/otp';
import { ItemError } from '../shared/errors';
import type { Routed } from '../shared/runner';

interface EnrolOptions {
	algorithm?: TotpAlgorithm;
	digits?: 6 | 7 | 8;
	period?: number;
	defaultCountry?: string;
	identifierType?: 'auto' | 'phone' | 'text';
}

/** Denied / not created first, Created second (as for Create Secret); failures go to output 0 too. */
const NOT_CREATED = 0;
const CREATED = 1;

export async function enrolItem(ctx: IExecuteFunctions, verifier: { store: OtpStore; pepper: Pepper }, i: number): Promise<Routed> {
	const options = ctx.getNodeParameter('enrolOptions', i, {}) as EnrolOptions;
	const identifier = normalizeIdentifier(ctx.getNodeParameter('identifier', i, '') as unknown, { type: options.identifierType ?? 'auto', defaultCountry: options.defaultCountry ?? 'US' });
	if (!identifier.ok) throw new ItemError(`Identifier: ${identifier.reason}`, { reason: 'invalid_input', field: 'identifier' });
	// Password-only re-enrolment would let whoever learns the password replace the person's app: an active
	// secret is replaced only after an administrator removed it (removeEnrolment).
	if (await findSecret(verifier.store, verifier.pepper, identifier.value, 'active')) {
		return { output: NOT_CREATED, json: { created: false, reason: 'already_enrolled', identifier: identifier.masked } };
	}
	const issuer = String(ctx.getNodeParameter('issuer', i, ''));
	const account = String(ctx.getNodeParameter('account', i, ''));
	const binaryField = String(ctx.getNodeParameter('binaryPropertyName', i, 'qrCode')) || 'qrCode';
	const settings = { algorithm: options.algorithm, digits: options.digits === undefined ? undefined : (Number(options.digits) as 6 | 7 | 8), period: options.period };
	const enrollment = await createTotpSecret({ issuer, account, ...settings }).catch((error: Error) => {
		throw new ItemError(error.message, { reason: 'invalid_input' });
	});
	const now = Date.now();
	await storePendingSecret(verifier.store, verifier.pepper, identifier.value, enrollment.secret, settings, now);
	const binary = await ctx.helpers.prepareBinaryData(enrollment.qrPng, 'totp-qr.png', 'image/png');
	return {
		output: CREATED,
		json: {
			identifier: identifier.masked,
			issuer,
			account,
			state: 'pending',
			confirmBefore: new Date(now + PENDING_LIFETIME_MS).toISOString(),
			// The URI and QR code carry the secret: they are for the person's app, once.
			uri: enrollment.uri,
			qrDataUrl: enrollment.qrDataUrl,
		},
		binary: { [binaryField]: binary },
	};
}

/** The enrolled secret for Verify Code; undefined = nothing enrolled (or the pending one expired). */
export async function enrolledSecretOf(verifier: { store: OtpStore; pepper: Pepper }, identifier: string, confirm: boolean): Promise<FoundSecret | undefined> {
	return await findSecret(verifier.store, verifier.pepper, identifier, confirm ? 'pending' : 'active');
}

/** After an approved first code: the pending secret becomes active (false when a newer enrolment replaced it). */
export async function confirmEnrolment(verifier: { store: OtpStore; pepper: Pepper }, identifier: string, found: FoundSecret): Promise<boolean> {
	return found.state === 'pending' ? await activateSecret(verifier.store, verifier.pepper, identifier, found) : true;
}

