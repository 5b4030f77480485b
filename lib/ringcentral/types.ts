/** The four fields of the `ringCentralJwtApi` credential. */
export interface RingCentralCredentials {
	serverUrl: string;
	clientId: string;
	clientSecret: string;
	jwt: string;
}

export interface TransportSettings {
	/** Longest Retry-After the transport will wait before retrying a 429/503 (ms). Beyond it the call fails. */
	maxRetryWaitMs: number;
	/** How many times a 429/503 is retried before giving up. */
	maxRateLimitRetries: number;
	/** Longest time one request may wait for RingCentral's answer (ms). */
	defaultTimeoutMs: number;
	/** Longest wait in a rate-limit queue when the call sets none (ms). */
	maxQueueWaitMs: number;
	/** Timeout of one token request (login or refresh), ms. */
	tokenRequestTimeoutMs: number;
	/** Refresh the access token this long before it expires (ms). */
	refreshMarginMs: number;
}

export interface CallOptions {
	/**
	 * Answer deadline for the whole call (ms): queue, token and retries included. When it passes before the
	 * request leaves, nothing is sent. 0 or unset: no deadline beyond the queue wait and request timeout.
	 */
	timeoutMs?: number;
	/** Longest wait for a rate-limit slot (ms). Default 10 minutes: a burst several windows deep is delivered. */
	maxQueueWaitMs?: number;
}

/** The message record RingCentral returns for Send SMS and from the message store (the fields we read). */
export interface MessageRecord {
	id: number | string;
	uri?: string;
	type?: string;
	direction?: string;
	from?: { phoneNumber?: string; name?: string };
	to?: Array<{ phoneNumber?: string; messageStatus?: string }>;
	subject?: string;
	messageStatus?: string;
	creationTime?: string;
	lastModifiedTime?: string;
	conversation?: { id?: string };
	smsDeliveryTime?: string;
	deliveryErrorCode?: string;
	smsSendingAttemptsCount?: number;
	[key: string]: unknown;
}

export interface PhoneNumberRecord {
	id?: number | string;
	phoneNumber: string;
	usageType?: string;
	features?: string[];
	type?: string;
	status?: string;
	label?: string;
	[key: string]: unknown;
}

export interface ExtensionInfo {
	id: number | string;
	extensionNumber?: string;
	name?: string;
	type?: string;
	status?: string;
	[key: string]: unknown;
}

export interface SendSmsRequest {
	from: string;
	to: string;
	text: string;
	country?: string;
}
