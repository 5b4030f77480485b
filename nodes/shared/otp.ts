/**
 * What the three OTP nodes share: reading the OTP Store credential, the credential test, identifier
 * options, and errors that never carry a code.
 */
import type { ICredentialTestFunctions, ICredentialsDecrypted, IExecuteFunctions, INodeCredentialTestResult, INodeProperties } from 'n8n-workflow';
import {
	MAX_FAILURE_CEILING,
	OtpConfigError,
	normalizeIdentifier,
	normalizePurpose,
	otpServiceFor,
	storeFor,
	testOtpStoreCredential,
	Pepper,
	type IdentifierResult,
	type IdentifierType,
	type OtpService,
	type OtpStore,
	type OtpStoreCredential,
	type FailureRule,
	type FailureOutcome,
} from '../../lib/otp';
import type { IDataObject } from 'n8n-workflow';
import { ItemError, type FailureReason } from './errors';

export const OTP_CREDENTIAL = 'otpStoreApi';

/** An error the OTP nodes do not recognise comes from the store (Redis down, refused auth, a timeout). */
export const OTP_UNKNOWN_ERROR: { reason: FailureReason; prefix: string } = { reason: 'store_unavailable', prefix: 'The OTP store failed: ' };

export async function otpStoreApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	return await testOtpStoreCredential((credential.data ?? {}) as OtpStoreCredential);
}

async function credentialOf(context: IExecuteFunctions): Promise<OtpStoreCredential> {
	let credential: unknown;
	try {
		credential = await context.getCredentials(OTP_CREDENTIAL);
	} catch (error) {
		throw new ItemError(`The OTP Store credential could not be read: ${(error as Error)?.message ?? 'not set'}. Select an OTP Store credential on this node.`, {
			reason: 'misconfigured',
			field: 'credentials',
		});
	}
	if (!credential || typeof credential !== 'object') {
		throw new ItemError('No OTP Store credential is selected on this node.', { reason: 'misconfigured', field: 'credentials' });
	}
	return credential as OtpStoreCredential;
}

/** A weak or missing pepper, a bad store setting: the sentence says what to fix, and nothing is approved. */
function misconfigured(error: unknown): unknown {
	if (error instanceof OtpConfigError) return new ItemError(error.message, { reason: 'misconfigured', field: 'credentials' });
	return error;
}

export async function otpServiceOf(context: IExecuteFunctions): Promise<OtpService> {
	const credential = await credentialOf(context);
	try {
		return otpServiceFor(credential);
	} catch (error) {
		throw misconfigured(error);
	}
}

export async function storeAndPepperOf(context: IExecuteFunctions): Promise<{ store: OtpStore; pepper: Pepper }> {
	const credential = await credentialOf(context);
	try {
		return { store: storeFor(credential), pepper: new Pepper(credential.pepper) };
	} catch (error) {
		throw misconfigured(error);
	}
}

/** Both nodes must read an identifier the same way, or a code generated for one spelling is unknown to the other. */
export const identifierOptions: INodeProperties[] = [
	{
		displayName: 'Default Country',
		name: 'defaultCountry',
		type: 'string',
		default: 'US',
		placeholder: 'US',
		description:
			'ISO country code for phone numbers written without a country code, so 6505550123 and +16505550123 are the same identifier. Use the same value in OTP Generate and OTP Verify.',
	},
	{
		displayName: 'Identifier Type',
		name: 'identifierType',
		type: 'options',
		options: [
			{ name: 'Automatic', value: 'auto', description: 'Phone numbers are normalised to E.164; anything else is trimmed and lower-cased' },
			{ name: 'Phone Number', value: 'phone', description: 'Must be a valid phone number' },
			{ name: 'Text (Username, Account Number)', value: 'text', description: 'Trimmed and lower-cased, never read as a phone number' },
		],
		default: 'auto',
		description: 'Use the same value in OTP Generate and OTP Verify',
	},
];

export interface IdentifierInput {
	identifier: IdentifierResult;
	purpose: string | undefined;
}

export function readSubject(context: IExecuteFunctions, itemIndex: number, options: { defaultCountry?: string; identifierType?: IdentifierType }): IdentifierInput {
	const rawIdentifier = context.getNodeParameter('identifier', itemIndex, '') as unknown;
	const rawPurpose = context.getNodeParameter('purpose', itemIndex, 'login') as unknown;
	return {
		identifier: normalizeIdentifier(rawIdentifier, { type: options.identifierType ?? 'auto', defaultCountry: options.defaultCountry ?? 'US' }),
		purpose: normalizePurpose(rawPurpose),
	};
}

/** Removes every occurrence of the code from text that is about to leave the node (errors, logs). */
export function scrub(text: string | undefined, code: string): string | undefined {
	if (text === undefined || code === '') return text;
	return text.split(code).join('[code]');
}

/**
 * The failure rule of NIST SP 800-63B §3.2.2 (docs/otp-rate-limiting.md), the same three options on OTP
 * Generate, OTP Verify and TOTP. The count is one per identifier for SMS codes and TOTP together, so the
 * values should match everywhere. The defaults are the library's (DEFAULT_FAILURE_RULE; a test keeps them equal).
 */
export const failureRuleOptions: INodeProperties[] = [
	{
		displayName: 'Failure Ceiling',
		name: 'failureCeiling',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_FAILURE_CEILING },
		default: 20,
		description: `Consecutive failed checks per identifier (SMS codes and TOTP together; they never expire, only a success or OTP Lockout Admin → Reset clears them) after which verification ends for it. At most ${MAX_FAILURE_CEILING}. Use the same value in every OTP node.`,
	},
	{
		displayName: 'Failures per Lockout',
		name: 'failuresPerLockout',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_FAILURE_CEILING },
		default: 5,
		description: 'Every this many consecutive failures, the identifier is locked for a while (see First Lockout)',
	},
	{
		displayName: 'First Lockout (Minutes)',
		name: 'lockoutMinutes',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1440 },
		default: 5,
		description: 'How long the first lockout lasts; each later one doubles (at most 24 hours)',
	},
];

export interface FailureRuleInput {
	failureCeiling?: number;
	failuresPerLockout?: number;
	lockoutMinutes?: number;
}

export function failureRuleOf(o: FailureRuleInput): Partial<FailureRule> {
	return {
		failureCeiling: o.failureCeiling,
		failuresPerLockout: o.failuresPerLockout,
		lockoutMs: o.lockoutMinutes === undefined ? undefined : Math.round(o.lockoutMinutes * 60_000),
	};
}

/** Where a denial leaves the identifier, as output fields. */
export function lockoutFields(o: FailureOutcome): IDataObject {
	return {
		...(o.lockedUntil ? { lockedUntil: o.lockedUntil.toISOString() } : {}),
		...(o.ended ? { ended: true } : {}),
	};
}
