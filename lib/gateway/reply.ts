/**
 * Renders the reply a caller understands from its preset's reply spec. A failure never carries the success
 * token (callers such as ManageEngine and privacyIDEA look for it as a substring), whatever the reason says.
 */
import type { GatewayFailure } from './failure';
import type { ReplyFormat, ReplySpec } from './presets';

export interface RenderedReply {
	status: number;
	contentType?: string;
	body: string;
}

export type ReplyOutcome = { ok: true; messageId?: string } | { ok: false; failure: GatewayFailure };

const CONTENT_TYPES: Record<ReplyFormat, string | undefined> = {
	text: 'text/plain; charset=utf-8',
	json: 'application/json; charset=utf-8',
	xml: 'application/xml; charset=utf-8',
	empty: undefined,
};

function escapeFor(format: ReplyFormat, value: string): string {
	// One line, printable: reasons end up in log files and admin consoles.
	const flat = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
	if (format === 'json' || format === 'empty') return JSON.stringify(flat).slice(1, -1);
	if (format === 'xml') return flat.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
	return flat;
}

/** Removes the success token from a reason so a failure body can never be mistaken for success. */
export function withoutToken(reason: string, token: string): string {
	const t = token.trim();
	if (t.length < 2) return reason;
	const escaped = t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	// Long tokens are matched case-insensitively: some callers compare without case.
	return reason.replace(new RegExp(escaped, t.length >= 4 ? 'gi' : 'g'), '[…]');
}

function fill(template: string, format: ReplyFormat, values: Record<string, string>): string {
	return template.replace(/\{(reason|code|messageId)\}/g, (_, key: string) => escapeFor(format, values[key] ?? ''));
}

/** Statuses a caller acts on by themselves: authentication, and "slow down" (429 carries Retry-After). */
const KEPT_STATUSES = new Set([401, 403, 429]);

/** The status for a failure: the spec's fixed failure status if set, except for the statuses above. */
function failureStatus(spec: ReplySpec, f: GatewayFailure): number {
	if (KEPT_STATUSES.has(f.status)) return f.status;
	const s = spec.failureStatus;
	return s && s >= 400 && s <= 599 ? s : f.status;
}

export function renderReply(spec: ReplySpec, outcome: ReplyOutcome): RenderedReply {
	if (outcome.ok) {
		const body = spec.format === 'empty' ? '' : fill(spec.successBody, spec.format, { messageId: outcome.messageId ?? '' });
		const status = spec.successStatus >= 200 && spec.successStatus <= 299 ? spec.successStatus : 200;
		return { status, body, contentType: body === '' ? undefined : CONTENT_TYPES[spec.format] };
	}
	const f = outcome.failure;
	const token = spec.format === 'empty' ? '' : spec.successBody;
	const reason = withoutToken(f.reason, token);
	// An "empty" success still needs a readable failure: Curity reads JSON errors.
	const format: ReplyFormat = spec.format === 'empty' ? 'json' : spec.format;
	let body = fill(spec.failureBody || '{reason}', format, { reason, code: f.code });
	if (token.trim().length >= 2 && body.includes(token.trim())) body = format === 'json' ? JSON.stringify({ error: f.code }) : f.code;
	return { status: failureStatus(spec, f), body, contentType: CONTENT_TYPES[format] };
}

/**
 * Set by the SMS Gateway Reply node on its answer, so the trigger can tell it from a reply n8n wrote on its
 * own when a workflow ended without one (see the trigger's no-reply.ts). Removed before the caller sees it.
 */
export const REPLY_MARKER_HEADER = 'x-sms-gateway-reply';
