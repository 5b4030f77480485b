/** One Directory Login item: shape checks, brute-force reservation, the directory, and the routing. */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { directoryConfig, directoryLogin, loginInputDenial, DirectoryError, type DirectoryConfig, type DirectoryCredential, type LoginOutcome } from '../../lib/directory';
import { loginFailed, loginSucceeded, normalizeIdentifier, reserveLoginAttempt, type LoginRules, type OtpStore, type Pepper } from '../../lib/otp';
import { ItemError } from '../shared/errors';
import { storeAndPepperOf } from '../shared/otp';
import type { Routed } from '../shared/runner';

export const DIRECTORY_CREDENTIAL = 'directoryApi';

/** Output 0 is Denied, output 1 Approved: a node that fails never lands on Approved. */
export const DENIED = 0;
export const APPROVED = 1;

interface LoginOptions {
	usernameAttributes?: string;
	displayNameAttribute?: string;
	mailAttribute?: string;
	failureCeiling?: number;
	failuresPerLockout?: number;
	lockoutMinutes?: number;
	sourceFailureCeiling?: number;
	sourceFailuresPerLockout?: number;
	sourceLockoutMinutes?: number;
}

export interface LoginSetup {
	config: DirectoryConfig;
	/** Read on first use: only items with brute-force protection need the OTP Store. */
	counter?: Promise<{ store: OtpStore; pepper: Pepper }>;
}

export async function loginSetup(ctx: IExecuteFunctions): Promise<LoginSetup> {
	let credential: DirectoryCredential;
	try {
		credential = (await ctx.getCredentials(DIRECTORY_CREDENTIAL)) as DirectoryCredential;
	} catch (error) {
		throw new ItemError(`The Directory credential could not be read: ${(error as Error)?.message ?? 'not set'}. Select a Directory credential on this node.`, {
			reason: 'misconfigured',
			field: 'credentials',
		});
	}
	try {
		return { config: directoryConfig(credential) };
	} catch (error) {
		throw directoryFailure(error);
	}
}

/** Directory errors as item failures: unreachable is its own reason, so a template can answer 503, not 403. */
export function directoryFailure(error: unknown): unknown {
	if (!(error instanceof DirectoryError)) return error;
	return new ItemError(error.message, error.kind === 'unavailable' ? { reason: 'directory_unavailable' } : { reason: 'misconfigured', field: 'credentials' });
}

/** The store is someone else's server: its failures say so, and nothing is approved. */
async function storeStep<T>(step: () => Promise<T>): Promise<T> {
	try {
		return await step();
	} catch (error) {
		if (error instanceof ItemError) throw error;
		throw new ItemError(`The OTP store failed: ${(error as Error)?.message ?? 'unknown error'}`, { reason: 'store_unavailable' });
	}
}

const minutes = (m: number | undefined) => (m === undefined ? undefined : m * 60_000);

function rulesOf(o: LoginOptions): LoginRules {
	return {
		user: { failureCeiling: o.failureCeiling, failuresPerLockout: o.failuresPerLockout, lockoutMs: minutes(o.lockoutMinutes) },
		source: { failureCeiling: o.sourceFailureCeiling, failuresPerLockout: o.sourceFailuresPerLockout, lockoutMs: minutes(o.sourceLockoutMinutes) },
	};
}

const denied = (username: string, reason: string, detail: string, extra: IDataObject = {}): Routed => ({
	output: DENIED,
	json: { approved: false, reason, detail, username, ...extra },
});

/** `secret123456` → password `secret`, code `123456`; undefined when the field does not end in a code. */
function splitSecondFactor(field: unknown, digits: number): { password: string; code: string } | undefined {
	if (typeof field !== 'string' || field.length <= digits) return undefined;
	const code = field.slice(-digits);
	if (!/^[0-9]+$/.test(code)) return undefined;
	return { password: field.slice(0, -digits), code };
}

export async function loginItem(ctx: IExecuteFunctions, setup: LoginSetup, i: number): Promise<Routed> {
	const options = ctx.getNodeParameter('options', i, {}) as LoginOptions;
	const rawUsername = ctx.getNodeParameter('username', i, '') as unknown;
	let password = ctx.getNodeParameter('password', i, '') as unknown;
	const shown = typeof rawUsername === 'string' ? rawUsername.trim().slice(0, 256) : '';
	const secondFactor = ctx.getNodeParameter('secondFactor', i, false) === true;
	let totpCode: string | undefined;
	if (secondFactor) {
		const split = splitSecondFactor(password, Number(ctx.getNodeParameter('secondFactorDigits', i, 6)));
		if (!split) return denied(shown, 'malformed', 'the password field does not end with the authenticator code');
		password = split.password;
		totpCode = split.code;
	}
	const identifier = normalizeIdentifier(rawUsername, { type: 'text', defaultCountry: 'US' });
	const protection = ctx.getNodeParameter('bruteForceProtection', i, true) === true;
	const sourceIp = protection ? String(ctx.getNodeParameter('sourceIp', i, '') ?? '').trim() || undefined : undefined;
	const rules = rulesOf(options);
	const attributes = {
		usernames: String(options.usernameAttributes ?? 'uid').split(','),
		displayName: options.displayNameAttribute,
		mail: options.mailAttribute,
	};

	// Shape first: an empty password or a malformed username is refused before the store or the directory.
	const shape = loginInputDenial(rawUsername, password);
	if (shape && !shape.ok) return denied(shown, shape.reason, shape.detail);
	if (!identifier.ok) return denied(shown, 'malformed', `username: ${identifier.reason}`);

	const subject = { identifier: identifier.value, sourceIp };
	let counter: { store: OtpStore; pepper: Pepper } | undefined;
	if (protection) {
		setup.counter ??= storeAndPepperOf(ctx);
		counter = await setup.counter;
		const { store, pepper } = counter;
		const reservation = await storeStep(() => reserveLoginAttempt(store, pepper, subject, rules));
		if (!reservation.allowed) {
			const detail = `${reservation.which === 'user' ? 'the username' : 'the source IP'} is ${reservation.ended ? 'refused until an administrator resets it' : 'locked out'} after repeated failures; the directory was not asked`;
			return denied(shown, 'locked_out', detail, { which: reservation.which, ...(reservation.lockedUntil ? { lockedUntil: reservation.lockedUntil.toISOString() } : {}), ...(reservation.ended ? { ended: true } : {}) });
		}
	}

	const outcome: LoginOutcome = await directoryLogin(setup.config, rawUsername, password, attributes).catch(directoryThrow);
	if (!outcome.ok) {
		if (counter) {
			const { store, pepper } = counter;
			await storeStep(() => loginFailed(store, pepper, subject, rules));
		}
		return denied(shown, outcome.reason, outcome.detail);
	}
	// With a second factor the count stays until the TOTP node approves (its success forgets it).
	if (counter && !secondFactor) {
		const { store, pepper } = counter;
		await storeStep(() => loginSucceeded(store, pepper, subject.identifier));
	}
	const { user } = outcome;
	return {
		output: APPROVED,
		json: {
			approved: true,
			username: identifier.value,
			dn: user.dn,
			display_name: user.displayName,
			mail: user.mail,
			usernames: user.usernames,
			...(totpCode !== undefined ? { totpCode } : {}),
		},
	};
}

function directoryThrow(error: unknown): never {
	throw directoryFailure(error);
}
