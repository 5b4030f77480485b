import { NodeApiError, NodeOperationError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';
import { RingCentralApiError } from '../../lib/ringcentral';

/** Input problems found before anything is sent. */
export class ItemInputError extends Error {
	constructor(
		message: string,
		readonly field: string,
		readonly details: Record<string, unknown> = {},
	) {
		super(message);
		this.name = 'ItemInputError';
	}
}

/** What a failed item carries when the node continues on fail: enough to decide, nothing secret. */
export function errorJson(error: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
	if (error instanceof RingCentralApiError) {
		return {
			error: error.message,
			...(error.errorCode ? { errorCode: error.errorCode } : {}),
			...(error.status ? { httpCode: error.status } : {}),
			...(error.outcomeUnknown ? { outcomeUnknown: true } : {}),
			...(error.retryAfterMs !== undefined ? { retryAfterSeconds: Math.ceil(error.retryAfterMs / 1000) } : {}),
			...extra,
		};
	}
	if (error instanceof ItemInputError) return { error: error.message, field: error.field, ...error.details, ...extra };
	return { error: (error as Error)?.message ?? String(error), ...extra };
}

/** The n8n error to throw for an item (when not continuing on fail). */
export function nodeError(context: IExecuteFunctions, error: unknown, itemIndex: number) {
	if (error instanceof RingCentralApiError) {
		if (error.status === undefined) {
			return new NodeOperationError(context.getNode(), error.message, { itemIndex, description: error.description });
		}
		return new NodeApiError(context.getNode(), (error.body ?? { message: error.message }) as JsonObject, {
			itemIndex,
			message: error.message,
			description: [error.errorCode, error.outcomeUnknown ? 'outcome unknown: not re-sent' : undefined].filter(Boolean).join(' — ') || undefined,
			httpCode: String(error.status),
		});
	}
	if (error instanceof ItemInputError) {
		return new NodeOperationError(context.getNode(), error.message, { itemIndex, description: `Field: ${error.field}` });
	}
	if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}
