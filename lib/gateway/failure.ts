/** A refusal the caller must hear about: an HTTP status, a short machine code and a human reason. */
export interface GatewayFailure {
	status: number;
	code: string;
	reason: string;
}

export function failure(status: number, code: string, reason: string): { ok: false; failure: GatewayFailure } {
	return { ok: false, failure: { status, code, reason } };
}
