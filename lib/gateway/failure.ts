/** A refusal the caller must hear about: an HTTP status, a short machine code and a human reason. */
export interface GatewayFailure {
	status: number;
	code: string;
	reason: string;
	/** For 429: when the caller may try again (sent as Retry-After). */
	retryAfterSeconds?: number;
}

export function failure(status: number, code: string, reason: string): { ok: false; failure: GatewayFailure } {
	return { ok: false, failure: { status, code, reason } };
}
