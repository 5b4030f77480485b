/**
 * The simulator's built-in account: one app, three users (a normal sender, a second extension with other
 * numbers, one whose role lacks SMS) and the JWTs to log in as them.
 */
import { createHmac } from 'node:crypto';
import type { SimConfig, SimSeed, SimUser } from './types';

/** Signs simulator JWTs. Not a secret worth protecting: the simulator only ever runs locally. */
const SIGNING_KEY = 'ringcentral-simulator-signing-key';
const FAR_FUTURE = 4102444800; // 2100-01-01

function b64url(value: string | Buffer): string {
	return Buffer.from(value).toString('base64url');
}

/**
 * A JWT-shaped credential like the ones the developer console issues (header.payload.signature). Real ones
 * are RS256-signed by RingCentral; ours are HS256 with a local key, which no client checks anyway.
 */
export function mintJwt(extensionId: string, options: { exp?: number; iat?: number; jti?: string } = {}): string {
	const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'sim' }));
	const payload = b64url(
		JSON.stringify({
			aud: 'https://platform.ringcentral.com/restapi/oauth/token',
			sub: extensionId,
			iss: 'https://platform.ringcentral.com',
			iat: options.iat ?? 1767225600,
			exp: options.exp ?? FAR_FUTURE,
			jti: options.jti ?? `sim-${extensionId}`,
		}),
	);
	const signature = createHmac('sha256', SIGNING_KEY).update(`${header}.${payload}`).digest('base64url');
	return `${header}.${payload}.${signature}`;
}

/** Decodes a simulator-minted JWT; undefined when it is malformed or the signature is not ours. */
export function verifyMintedJwt(jwt: string): { sub: string; exp: number } | undefined {
	const parts = jwt.split('.');
	if (parts.length !== 3) return undefined;
	const expected = createHmac('sha256', SIGNING_KEY).update(`${parts[0]}.${parts[1]}`).digest('base64url');
	if (expected !== parts[2]) return undefined;
	try {
		const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as { sub?: unknown; exp?: unknown };
		if (typeof payload.sub !== 'string' || typeof payload.exp !== 'number') return undefined;
		return { sub: payload.sub, exp: payload.exp };
	} catch {
		return undefined;
	}
}

const ACCOUNT_ID = '400100200';
const MAIN_EXT = '400100201';
const SECOND_EXT = '400100202';
const NO_SMS_EXT = '400100203';

const mainUser: SimUser = {
	extensionId: MAIN_EXT,
	extensionNumber: '101',
	name: 'SMS Helper',
	jwt: mintJwt(MAIN_EXT),
	companyCallLog: true,
	phoneNumbers: [
		{ id: '5001', phoneNumber: '+16505550100', usageType: 'DirectNumber', features: ['SmsSender', 'MmsSender', 'InternationalSmsSender', 'CallerId'] },
		{ id: '5002', phoneNumber: '+16505550101', usageType: 'DirectNumber', features: ['SmsSender', 'CallerId'] },
		{ id: '5003', phoneNumber: '+18885550100', usageType: 'DirectNumber', type: 'TollFree', features: ['A2PSmsSender', 'CallerId'] },
		{ id: '5004', phoneNumber: '+16505550199', usageType: 'MainCompanyNumber', features: ['CallerId'] },
	],
};

const secondUser: SimUser = {
	extensionId: SECOND_EXT,
	extensionNumber: '102',
	name: 'Second Sender',
	jwt: mintJwt(SECOND_EXT),
	phoneNumbers: [
		{ id: '5101', phoneNumber: '+16505550200', usageType: 'DirectNumber', features: ['SmsSender', 'CallerId'] },
		{ id: '5102', phoneNumber: '+16505550201', usageType: 'DirectNumber', features: ['SmsSender', 'MmsSender', 'CallerId'] },
	],
};

const noSmsUser: SimUser = {
	extensionId: NO_SMS_EXT,
	extensionNumber: '103',
	name: 'Read-only User',
	jwt: mintJwt(NO_SMS_EXT),
	phoneNumbers: [{ id: '5201', phoneNumber: '+16505550300', usageType: 'DirectNumber', features: ['SmsSender', 'CallerId'] }],
	permissions: ['ReadAccounts', 'ReadMessages'],
};

export const SIM_DEFAULTS = {
	accountId: ACCOUNT_ID,
	clientId: 'sim-client-id',
	clientSecret: 'sim-client-secret',
	jwt: mainUser.jwt,
	extensionId: MAIN_EXT,
	smsNumbers: ['+16505550100', '+16505550101'],
	a2pNumber: '+18885550100',
	/** Numbers of the main extension that are not SMS-enabled (CallerId only): sending from them → MSG-367. */
	otherNumbers: ['+16505550199'],
	/** A second user of the same account: other extension, other numbers (its numbers → MSG-245 for the first). */
	second: { jwt: secondUser.jwt, extensionId: SECOND_EXT, smsNumbers: ['+16505550200', '+16505550201'] },
	/** A user whose token lacks the SMS permission: login works, sending → 403 CMN-408. */
	noSms: { jwt: noSmsUser.jwt, extensionId: NO_SMS_EXT, smsNumbers: ['+16505550300'] },
	/** Same user as `jwt` but the JWT expired → login fails with invalid_grant. */
	expiredJwt: mintJwt(MAIN_EXT, { exp: 1700000000, iat: 1690000000, jti: 'sim-expired' }),
	/** Recipients that fail by default (see SimConfig.failingNumbers). */
	failingNumbers: { deliveryFailed: '+16505550911', sendingFailed: '+16505550912' },
	/** Permissions of the default app (token scope). */
	scopes: ['SMS', 'A2PSMS', 'ReadMessages', 'ReadAccounts', 'EditMessages', 'ReadCallLog'],
} as const;

export function defaultSeed(): SimSeed {
	const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
	return {
		accountId: ACCOUNT_ID,
		apps: [
			{
				clientId: SIM_DEFAULTS.clientId,
				clientSecret: SIM_DEFAULTS.clientSecret,
				scopes: [...SIM_DEFAULTS.scopes],
				grants: ['urn:ietf:params:oauth:grant-type:jwt-bearer', 'refresh_token', 'authorization_code'],
			},
		],
		users: [clone(mainUser), clone(secondUser), clone(noSmsUser)],
	};
}

export function defaultConfig(): SimConfig {
	return {
		latencyMs: 0,
		limits: { light: 50, medium: 40, heavy: 10, auth: 5 },
		windowSeconds: 60,
		penaltySeconds: 60,
		statusDelays: { sentMs: 200, deliveredMs: 500 },
		failingNumbers: {
			[SIM_DEFAULTS.failingNumbers.deliveryFailed]: { status: 'DeliveryFailed', errorCode: 'SMS-CAR-411' },
			[SIM_DEFAULTS.failingNumbers.sendingFailed]: { status: 'SendingFailed', errorCode: 'SMS-RC-503' },
		},
		maxSessionsPerUser: 5,
		maxTextLength: 1000,
	};
}
