/** Data model of the RingCentral simulator: who can log in, which numbers they own, how it behaves. */

export type RateGroup = 'light' | 'medium' | 'heavy' | 'auth';

export interface SimPhoneNumber {
	id: string;
	phoneNumber: string;
	/** DirectNumber, MainCompanyNumber, CompanyNumber, … */
	usageType: string;
	/** SmsSender, A2PSmsSender, MmsSender, InternationalSmsSender, CallerId */
	features: string[];
	type?: string;
	status?: string;
}

export interface SimUser {
	extensionId: string;
	extensionNumber: string;
	name: string;
	/** The JWT credential minted for this user (exact string accepted as `assertion`). */
	jwt: string;
	phoneNumbers: SimPhoneNumber[];
	/**
	 * Permissions this user's role allows. The token's scope is the app's scope limited to these, so a user
	 * without SMS gets a token without SMS (how a restricted "helper" role looks to the API client).
	 */
	permissions?: string[];
	/** The user's role grants FullCompanyCallLog (an admin role): the account-wide call log is readable. */
	companyCallLog?: boolean;
}

export interface SimApp {
	clientId: string;
	clientSecret: string;
	/** Permissions granted to the app in the developer console (token `scope`). */
	scopes: string[];
	/** Grant types enabled for the app. */
	grants: string[];
	/** Redirect URIs registered for the authorization-code flow; none: any http(s) URI is accepted. */
	redirectUris?: string[];
}

export interface SimSeed {
	accountId: string;
	apps: SimApp[];
	users: SimUser[];
}

export type FailureStatus = 'DeliveryFailed' | 'SendingFailed';

export interface FailingNumber {
	status: FailureStatus;
	/** e.g. SMS-CAR-411 (carrier) or SMS-RC-… (RingCentral). */
	errorCode?: string;
}

export interface SimConfig {
	/** Delay added to every /restapi request (ms). */
	latencyMs: number;
	/** Requests per window per user per app, by group. */
	limits: Record<RateGroup, number>;
	windowSeconds: number;
	/** Penalty after a breach; each request during it restarts it. */
	penaltySeconds: number;
	/** Queued → Sent after `sentMs`, Sent → Delivered after another `deliveredMs`. Negative: never. */
	statusDelays: { sentMs: number; deliveredMs: number };
	/** Recipients whose messages fail (E.164 → outcome). */
	failingNumbers: Record<string, FailingNumber>;
	/** Live sessions per user per app; the next login silently ends the oldest one. */
	maxSessionsPerUser: number;
	/** Forces every access token to this lifetime (s), whatever the client asked; for expiry tests. */
	accessTokenTtlOverride?: number;
	/** Longest SMS text in UTF-16 code units. */
	maxTextLength: number;
}

export type MessageStatus = 'Queued' | 'Sent' | 'Delivered' | 'DeliveryFailed' | 'SendingFailed';

export interface StoredMessage {
	id: number;
	conversationId: string;
	clientId: string;
	extensionId: string;
	from: string;
	to: string[];
	text: string;
	createdAt: number;
	/** Delays copied at creation, so reconfiguring later does not rewrite history. */
	sentAt: number;
	deliveredAt: number;
	failures: Record<string, FailingNumber>;
	/** Set for messages sent through the A2P batch API. */
	batchId?: string;
}

/** What `GET /_sim/messages` lists for each accepted SMS. */
export interface SimMessageView {
	id: string;
	from: string;
	to: string[];
	text: string;
	time: string;
	status: MessageStatus;
	extensionId: string;
	batchId?: string;
}

/** One fault, matched by method and path prefix, fired `times` times (default 1). */
export interface SimFault {
	method?: string;
	path?: string;
	times?: number;
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	delayMs?: number;
	drop?: 'before' | 'after';
	expireTokens?: boolean;
	revokeRefreshTokens?: boolean;
}

export interface SimStats {
	requests: number;
	tokenRequests: number;
	jwtLogins: number;
	refreshes: number;
	failedLogins: number;
	failedRefreshes: number;
	revokes: number;
	sessionsEvicted: number;
	activeSessions: number;
	requestsByGroup: Record<RateGroup, number>;
	rateLimited: number;
	rateLimitedByGroup: Record<RateGroup, number>;
	/** Requests refused because RingCentral's published contract refuses them (contract.ts). */
	contractViolations: number;
	unauthorized: number;
	smsAccepted: number;
	smsRejected: number;
	a2pBatches: number;
	faultsFired: number;
	connectionsDropped: number;
}

/** A partial configuration change: nested settings merge; a null failing number removes it. */
export type SimConfigPatch = Partial<Omit<SimConfig, 'limits' | 'statusDelays' | 'failingNumbers'>> & {
	limits?: Partial<Record<RateGroup, number>>;
	statusDelays?: Partial<SimConfig['statusDelays']>;
	failingNumbers?: Record<string, FailingNumber | null>;
};
