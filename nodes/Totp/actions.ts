/** The two TOTP operations, one item each. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { createTotpSecret, normalizeIdentifier, verifyTotp, type OtpStore, type Pepper, type TotpAlgorithm, type TotpSettings } from '../../lib/otp';
import { ItemError } from '../shared/errors';
import { failureRuleOf, lockoutFields, type FailureRuleInput } from '../shared/otp';
import type { Routed } from '../shared/runner';
import { confirmEnrolment, enrolledSecretOf } from './enrolment';

interface SettingsInput {
	algorithm?: TotpAlgorithm;
	digits?: 6 | 7 | 8;
	period?: number;
}

interface VerifyInput extends SettingsInput, FailureRuleInput {
	defaultCountry?: string;
	identifierType?: 'auto' | 'phone' | 'text';
	window?: number;
}

/** Output 0 is Denied, output 1 Approved / Created: a node that fails never looks like an approval. */
export const DENIED = 0;
export const APPROVED = 1;

const settingsOf = (o: SettingsInput): Partial<TotpSettings> => ({ algorithm: o.algorithm, digits: o.digits === undefined ? undefined : (Number(o.digits) as 6 | 7 | 8), period: o.period });

/** Unreadable means Verify: its failures land on Denied. */
export function operationOf(ctx: IExecuteFunctions): string {
	try {
		return String(ctx.getNodeParameter('operation', 0, 'createSecret'));
	} catch {
		return 'verify';
	}
}

export async function createSecretItem(ctx: IExecuteFunctions, i: number): Promise<Routed> {
	const options = ctx.getNodeParameter('options', i, {}) as SettingsInput;
	const issuer = String(ctx.getNodeParameter('issuer', i, ''));
	const account = String(ctx.getNodeParameter('account', i, ''));
	const binaryField = String(ctx.getNodeParameter('binaryPropertyName', i, 'qrCode')) || 'qrCode';
	const enrollment = await createTotpSecret({ issuer, account, ...settingsOf(options) }).catch((error: Error) => {
		throw new ItemError(error.message, { reason: 'invalid_input' });
	});
	const binary = await ctx.helpers.prepareBinaryData(enrollment.qrPng, 'totp-qr.png', 'image/png');
	return {
		output: APPROVED,
		json: { issuer, account, secret: enrollment.secret, uri: enrollment.uri, qrDataUrl: enrollment.qrDataUrl },
		binary: { [binaryField]: binary },
	};
}

export async function verifyItem(ctx: IExecuteFunctions, verifier: { store: OtpStore; pepper: Pepper }, i: number): Promise<Routed> {
	const options = ctx.getNodeParameter('verifyOptions', i, {}) as VerifyInput;
	const identifier = normalizeIdentifier(ctx.getNodeParameter('identifier', i, '') as unknown, {
		type: options.identifierType ?? 'auto',
		defaultCountry: options.defaultCountry ?? 'US',
	});
	if (!identifier.ok) return { output: DENIED, json: { approved: false, reason: 'malformed', detail: `identifier: ${identifier.reason}` } };
	// Enrolled: the secret stays in the store (sealed); the workflow only names the identifier.
	const enrolled = ctx.getNodeParameter('secretSource', i, 'parameter') === 'enrolled';
	const confirm = enrolled && ctx.getNodeParameter('confirmEnrolment', i, false) === true;
	const found = enrolled ? await enrolledSecretOf(verifier, identifier.value, confirm) : undefined;
	if (enrolled && !found) return { output: DENIED, json: { approved: false, identifier: identifier.masked, reason: 'not_enrolled' } };
	const outcome = await verifyTotp(verifier.store, verifier.pepper, {
		identifier: identifier.value,
		secret: found ? found.secret : String(ctx.getNodeParameter('secret', i, '')),
		token: ctx.getNodeParameter('code', i, '') as unknown,
		settings: found ? found.settings : settingsOf(options),
		window: options.window,
		...failureRuleOf(options),
	});
	const json: IDataObject = { approved: outcome.approved, identifier: identifier.masked };
	if (outcome.approved && found) return { output: APPROVED, json: { ...json, enrolment: (await confirmEnrolment(verifier, identifier.value, found)) ? 'active' : 'replaced' } };
	if (outcome.approved) return { output: APPROVED, json };
	return { output: DENIED, json: { ...json, reason: outcome.reason, ...lockoutFields(outcome) } };
}
