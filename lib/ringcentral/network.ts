/**
 * Classifies a failed fetch. What matters for SMS is whether the request may have reached RingCentral:
 * a refused connection or an unknown host means nothing was sent (safe to report as "not sent"), while a
 * timeout or a reset after connecting may have come after RingCentral accepted the message.
 */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_INVALID_URL', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_HAS_EXPIRED', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN']);

export interface NetworkFailure {
	kind: 'timeout' | 'never-sent' | 'ambiguous';
	code?: string;
}

function causeCode(error: unknown): string | undefined {
	let current: any = error;
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string') return current.code;
		current = current.cause;
	}
	return undefined;
}

export function classifyNetworkError(error: unknown, timedOut: boolean): NetworkFailure {
	if (timedOut) return { kind: 'timeout' };
	const code = causeCode(error);
	if (code && NEVER_SENT_CODES.has(code)) return { kind: 'never-sent', code };
	const name = (error as { name?: string })?.name;
	if (name === 'AbortError' || name === 'TimeoutError') return { kind: 'timeout', code };
	return { kind: 'ambiguous', code };
}
