/**
 * What every authenticated REST request passes before its handler, on both routers (server.ts for the
 * account API, messaging.ts for subscriptions, the message store and MMS): it is counted in its rate-limit
 * group (the contract's `x-throttling-group`, else the route's own), refused past the budget, then refused
 * when the contract refuses it. A refusal carries the budget's headers, as RingCentral's do.
 */
import { enforceContract, findOperation } from './contract';
import { HttpError, type RequestCtx } from './http';
import type { Session } from './sessions';
import type { SimState } from './state';
import type { RateGroup } from './types';

/** Admits the request or throws RingCentral's refusal; returns the rate-limit headers for the answer. */
export function admit(state: SimState, ctx: RequestCtx, session: Session, routeGroup: RateGroup): Record<string, string> {
	const operation = findOperation(ctx.method, ctx.path);
	const group = operation?.group ?? routeGroup;
	state.stats.requestsByGroup[group]++;
	const limit = state.limiter.check(`${session.clientId}|${session.extensionId}`, group);
	if (limit.error) {
		state.stats.rateLimited++;
		state.stats.rateLimitedByGroup[group]++;
		throw limit.error;
	}
	try {
		enforceContract(state.stats, ctx, operation);
	} catch (error) {
		throw withHeaders(error, limit.headers);
	}
	return limit.headers;
}

/** An HttpError with the rate-limit headers added (its own win); anything else unchanged. */
export function withHeaders(error: unknown, headers: Record<string, string>): unknown {
	return error instanceof HttpError ? new HttpError(error.status, error.body, { ...headers, ...error.headers }) : error;
}
