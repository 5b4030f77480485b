/**
 * "After the SMS is accepted" relies on an SMS Gateway Reply node answering. When a branch of the workflow
 * ends without reaching one (an unwired error output, an IF that drops the item), n8n answers the caller
 * itself when the execution ends — with an empty 200, which Curity, Logto and Axigen read as "sent", or
 * with its generic error JSON. A check of the wiring at request time cannot see every branch, so the check
 * is made on the answer instead: the reply n8n writes to this request's response is kept only when the
 * SMS Gateway Reply node produced it (it carries a marker header, removed here before the caller sees it);
 * anything else becomes the preset's failure reply. This holds in queue mode too: the process that ran
 * the trigger is the one that writes the answer to this same response.
 */
import type { ServerResponse } from 'node:http';
import { REPLY_MARKER_HEADER, renderReply, type ReplySpec } from '../../lib/gateway';

const NO_REPLY_REASON =
	'the workflow ended without an SMS Gateway Reply node answering, so whether the SMS was sent is not known; check that every branch after the trigger ends in SMS Gateway Reply';

function isEmpty(chunk: unknown): boolean {
	if (chunk === undefined || chunk === null) return true;
	if (typeof chunk === 'function') return true; // res.end(callback)
	const text = Buffer.isBuffer(chunk) ? chunk.toString('utf8') : typeof chunk === 'string' ? chunk : '';
	return text.trim() === '' || text.trim() === '{}' || text.trim() === '""';
}

/**
 * `respondToWebhook`: a Respond to Webhook node is wired too; its answers are the user's own and are kept,
 * except an empty 2xx, which is never a gateway answer.
 */
export function answerWhenNoReply(res: ServerResponse, spec: ReplySpec, options: { respondToWebhook: boolean }): void {
	const originalEnd = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
	let handled = false;
	(res as unknown as { end: (...args: unknown[]) => ServerResponse }).end = (...args: unknown[]) => {
		if (handled || res.headersSent) return originalEnd(...args);
		handled = true;
		const fromReplyNode = res.getHeader(REPLY_MARKER_HEADER) !== undefined;
		res.removeHeader(REPLY_MARKER_HEADER);
		if (fromReplyNode) return originalEnd(...args);
		const emptySuccess = res.statusCode >= 200 && res.statusCode < 300 && isEmpty(args[0]);
		if (options.respondToWebhook && !emptySuccess) return originalEnd(...args);
		const reply = renderReply(spec, { ok: false, failure: { status: 500, code: 'no-reply', reason: NO_REPLY_REASON } });
		for (const name of res.getHeaderNames()) res.removeHeader(name);
		res.statusCode = reply.status;
		res.setHeader('cache-control', 'no-store');
		if (reply.contentType) res.setHeader('content-type', reply.contentType);
		res.setHeader('content-length', Buffer.byteLength(reply.body));
		return originalEnd(reply.body);
	};
}
