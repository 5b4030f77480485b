/** The test-only control API under `/_sim/` (JSON), kept out of the `/restapi` namespace. */
import { handleCallLogControl } from './callLog';
import { apiError, parseJson, type Reply, type RequestCtx } from './http';
import { SIM_DEFAULTS } from './seed';
import type { SimState } from './state';
import type { SimConfigPatch, SimFault } from './types';

/** Accepts one fault, an array of faults, or `{faults: [...]}`. */
export function parseFaults(input: unknown): SimFault[] {
	const list = Array.isArray(input) ? input : input && typeof input === 'object' && Array.isArray((input as { faults?: unknown }).faults) ? (input as { faults: unknown[] }).faults : [input];
	return list.map((raw) => {
		if (!raw || typeof raw !== 'object') throw apiError(400, 'SIM-400', 'A fault must be an object');
		const fault = raw as SimFault;
		if (fault.drop !== undefined && fault.drop !== 'before' && fault.drop !== 'after') {
			throw apiError(400, 'SIM-400', 'drop must be "before" or "after"');
		}
		const effects = [fault.status, fault.delayMs, fault.drop, fault.expireTokens, fault.revokeRefreshTokens].filter((v) => v !== undefined && v !== false);
		if (effects.length === 0) throw apiError(400, 'SIM-400', 'A fault needs status, delayMs, drop, expireTokens or revokeRefreshTokens');
		return fault;
	});
}

export function addFaults(state: SimState, faults: SimFault[]): void {
	for (const fault of faults) state.faults.push({ ...fault, remaining: Math.max(1, Math.floor(fault.times ?? 1)) });
}

export function handleControl(state: SimState, ctx: RequestCtx): Reply {
	const route = `${ctx.method} ${ctx.path.replace(/\/+$/, '')}`;
	const callLog = handleCallLogControl(state, ctx);
	if (callLog) return callLog;
	switch (route) {
		case 'GET /_sim':
		case 'GET /_sim/health':
			return { status: 200, body: { ok: true, url: ctx.baseUrl, defaults: SIM_DEFAULTS } };
		case 'GET /_sim/messages': {
			const to = ctx.query.get('to');
			const from = ctx.query.get('from');
			const list = state.messages
				.filter((m) => (!to || m.to.includes(to)) && (!from || m.from === from))
				.map((m) => state.messageView(m));
			return { status: 200, body: list };
		}
		case 'GET /_sim/stats':
			return { status: 200, body: state.statsSnapshot() };
		case 'POST /_sim/reset':
			state.reset();
			return { status: 200, body: { ok: true } };
		case 'GET /_sim/config':
			return { status: 200, body: state.config };
		case 'POST /_sim/config':
			return { status: 200, body: state.configure(parseJson(ctx.rawBody) as SimConfigPatch) };
		case 'GET /_sim/faults':
			return { status: 200, body: state.faults };
		case 'POST /_sim/faults': {
			const faults = parseFaults(ctx.rawBody.trim() ? JSON.parse(ctx.rawBody) : undefined);
			addFaults(state, faults);
			return { status: 200, body: { queued: state.faults.length } };
		}
		case 'DELETE /_sim/faults':
			state.faults = [];
			return { status: 200, body: { queued: 0 } };
		default:
			throw apiError(404, 'SIM-404', `Unknown control endpoint ${route}`);
	}
}
