/**
 * Failures as every node reports them. A failed item always carries a stable `reason` (what a template
 * decides on) and a sentence for a person (`error`); the n8n error thrown under "Stop Workflow" carries the
 * same sentence and the item index.
 */
import { NodeApiError, NodeOperationError, type IDataObject, type INode, type JsonObject } from 'n8n-workflow';
import { RingCentralApiError } from '../../lib/ringcentral';

/**
 * Stable machine reasons. Templates and workflows branch on these, never on the wording of `error`.
 * - invalid_input: a field of the item is wrong (the caller's data or the node's settings); `field` names it
 * - invalid_phone: a phone number field could not be read as one number
 * - misconfigured: a credential, an expression or a setting of the workflow must be fixed by its author
 * - store_unavailable: the OTP store (Redis) could not be reached or refused the command
 * - directory_unavailable: the LDAP / Active Directory server could not be reached or stopped answering
 * - ringcentral_refused: RingCentral answered with an error
 * - ringcentral_unreachable: RingCentral could not be reached; nothing was sent
 * - outcome_unknown: a send left n8n but no answer came back; it was not re-sent
 * - rate_limited: a limit refused the item; `retryAfterSeconds` says when to try again
 * - send_failed: OTP Generate could not text the code (the code was invalidated)
 * - retry_refused: Retry On Fail is on for an operation that must never run twice
 * - opted_out: the recipient texted STOP (the package's opt-out list); nothing was sent
 * - error: anything else
 */
export type FailureReason =
	| 'invalid_input'
	| 'invalid_phone'
	| 'misconfigured'
	| 'store_unavailable'
	| 'directory_unavailable'
	| 'ringcentral_refused'
	| 'ringcentral_unreachable'
	| 'outcome_unknown'
	| 'rate_limited'
	| 'send_failed'
	| 'retry_refused'
	| 'opted_out'
	| 'error';

/** A failure of one item that the node itself recognised (bad input, a refusal, a misconfiguration). */
export class ItemError extends Error {
	readonly reason: FailureReason;
	readonly field?: string;
	readonly details: IDataObject;
	readonly description?: string;

	constructor(message: string, o: { reason: FailureReason; field?: string; details?: IDataObject; description?: string }) {
		super(message);
		this.name = 'ItemError';
		this.reason = o.reason;
		this.field = o.field;
		this.details = o.details ?? {};
		this.description = o.description;
	}
}

/** Input problems found before anything is sent; `field` is the parameter to fix. */
export function inputError(message: string, field: string, details: IDataObject = {}): ItemError {
	return new ItemError(message, { reason: 'invalid_input', field, details });
}

/** What one failure means, in the two forms n8n needs: a sentence with facts, and an n8n error. */
export interface Failure {
	reason: FailureReason;
	message: string;
	description?: string;
	/** Facts for the failed item (field, errorCode, httpCode, outcomeUnknown, retryAfterSeconds…), never secrets. */
	details: IDataObject;
	/** A RingCentral HTTP error keeps its status and body for NodeApiError. */
	api?: { status: number; body: JsonObject };
}

function ringCentralFailure(error: RingCentralApiError): Failure {
	const details: IDataObject = {};
	if (error.errorCode) details.errorCode = error.errorCode;
	if (error.status) details.httpCode = error.status;
	if (error.outcomeUnknown) details.outcomeUnknown = true;
	if (error.retryAfterMs !== undefined) details.retryAfterSeconds = Math.ceil(error.retryAfterMs / 1000);
	let reason: FailureReason = 'ringcentral_refused';
	if (error.outcomeUnknown) reason = 'outcome_unknown';
	else if (error.status === 429) reason = 'rate_limited';
	// No HTTP status and no RingCentral error code: the request never got an answer.
	else if (error.status === undefined && !error.errorCode) reason = 'ringcentral_unreachable';
	const description = [error.description, error.outcomeUnknown ? 'outcome unknown: not re-sent' : undefined].filter(Boolean).join(' — ') || undefined;
	return {
		reason,
		message: error.message,
		description,
		details,
		api: error.status !== undefined ? { status: error.status, body: (error.body ?? { message: error.message }) as JsonObject } : undefined,
	};
}

/** n8n's own errors: a credential that is not set or cannot be read, an expression that fails, a bad parameter. */
function n8nFailure(error: NodeOperationError | NodeApiError): Failure {
	const expression = error.name === 'ExpressionError' || error.constructor?.name === 'ExpressionError';
	const message = expression ? `An expression in this node failed: ${error.message}` : error.message;
	return { reason: 'misconfigured', message, description: error.description ?? undefined, details: {} };
}

/**
 * Classifies any thrown value. `fallback` names what an unrecognised error most likely is for the node
 * (OTP nodes: the store); a message is always present and never a stack.
 */
export function describeFailure(error: unknown, fallback: { reason: FailureReason; prefix?: string } = { reason: 'error' }): Failure {
	if (error instanceof ItemError) {
		return {
			reason: error.reason,
			message: error.message,
			description: error.description ?? (error.field ? `Field: ${error.field}` : undefined),
			details: { ...(error.field ? { field: error.field } : {}), ...error.details },
		};
	}
	if (error instanceof RingCentralApiError) return ringCentralFailure(error);
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return n8nFailure(error);
	if (isExpressionError(error)) return n8nFailure(error as NodeOperationError);
	const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';
	return { reason: fallback.reason, message: fallback.prefix ? `${fallback.prefix}${raw}` : raw, details: {} };
}

function isExpressionError(error: unknown): boolean {
	return error instanceof Error && (error.name === 'ExpressionError' || error.constructor?.name === 'ExpressionError');
}

/** The n8n error for an item, thrown when the node's On Error setting is "Stop Workflow". */
export function toNodeError(node: INode, failure: Failure, itemIndex: number): NodeOperationError | NodeApiError {
	if (failure.api) {
		return new NodeApiError(node, failure.api.body, {
			itemIndex,
			message: failure.message,
			description: failure.description,
			httpCode: String(failure.api.status),
		});
	}
	return new NodeOperationError(node, failure.message, { itemIndex, description: failure.description });
}
