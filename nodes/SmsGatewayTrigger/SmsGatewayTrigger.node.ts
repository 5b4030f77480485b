import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import {
	DEFAULT_MAX_BODY_BYTES,
	checkGatewayLimits,
	dedupeKey,
	getPreset,
	handleGatewayRequest,
	outcomeFromStatus,
	renderReply,
	sharedDuplicateWindow,
	splitUrlQuery,
	type GatewayContext,
	type GatewayMessage,
	type ReplyOutcome,
	type ReplySpec,
} from '../../lib/gateway';
import { AUTH_CREDENTIAL, readConfig } from './config';
import { answerWhenNoReply } from './no-reply';
import { triggerProperties } from './description';

/** The parts of Express's request n8n hands us that we use (n8n ships no Express typings to packages). */
type GatewayRequest = IncomingMessage & { ip?: string; originalUrl?: string; rawBody?: Buffer };

/** Longest a duplicate waits for the first request's outcome before being told it is still in progress. */
const DUPLICATE_WAIT_MS = 20_000;

function writeReply(res: ServerResponse, spec: ReplySpec, outcome: ReplyOutcome, wwwAuthenticate?: string): void {
	const reply = renderReply(spec, outcome);
	if (res.headersSent) return;
	const headers: Record<string, string> = { 'cache-control': 'no-store' };
	if (reply.contentType) headers['content-type'] = reply.contentType;
	if (wwwAuthenticate) headers['www-authenticate'] = wwwAuthenticate;
	if (!outcome.ok && outcome.failure.retryAfterSeconds) headers['retry-after'] = String(outcome.failure.retryAfterSeconds);
	res.writeHead(reply.status, headers);
	res.end(reply.body);
}

/** Which nodes downstream answer the caller: our SMS Gateway Reply, or n8n's Respond to Webhook. */
function replyNodes(ctx: IWebhookFunctions): { reply: boolean; respondToWebhook: boolean } {
	// Hosts without getChildNodes (older n8n 1.x) cannot be checked: trust the wiring rather than refuse
	// (the answer is still checked when it is written, see no-reply.ts).
	if (typeof ctx.getChildNodes !== 'function') return { reply: true, respondToWebhook: false };
	const children = ctx.getChildNodes(ctx.getNode().name).filter((n) => !n.disabled);
	return {
		reply: children.some((n) => n.type.endsWith('.smsGatewayReply') || n.type === 'smsGatewayReply'),
		respondToWebhook: children.some((n) => n.type.endsWith('.respondToWebhook')),
	};
}

export class SmsGatewayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SMS Gateway Trigger',
		name: 'smsGatewayTrigger',
		icon: 'file:smsGateway.svg',
		group: ['trigger'],
		// Version 1 on purpose: n8n skips its own body parsing only for version-1 webhook nodes (see `options`).
		version: 1,
		subtitle: '={{"/webhook/" + $parameter["path"]}}',
		description: 'Receive "send this SMS" requests from ManageEngine, Axigen, privacyIDEA, PRTG and others, and answer in each one\'s format',
		defaults: { name: 'SMS Gateway Trigger' },
		inputs: [],
		outputs: ['main'],
		credentials: [{ name: AUTH_CREDENTIAL, required: true, displayOptions: { show: { authentication: [AUTH_CREDENTIAL] } } }],
		webhooks: [
			{
				name: 'default',
				// Both methods always: a method the preset does not accept gets a 405 in the caller's format.
				httpMethod: 'GET,POST',
				path: '={{$parameter["path"]}}',
				isFullPath: true,
				responseMode: '={{$parameter["replyTiming_" + $parameter["preset"]] === "immediately" ? "onReceived" : "responseNode"}}',
			},
		],
		properties: triggerProperties,
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject() as unknown as GatewayRequest;
		const res = this.getResponseObject() as unknown as ServerResponse;
		const presetId = this.getNodeParameter('preset', 'generic') as string;
		const fallbackSpec = (getPreset(presetId) ?? getPreset('generic')!).reply;

		let loaded: Awaited<ReturnType<typeof readConfig>>;
		try {
			loaded = await readConfig(this);
		} catch (error) {
			// A configuration problem (bad allow-list entry, missing credential) is ours, not the caller's.
			req.resume();
			const reason = `the SMS gateway is misconfigured: ${(error as Error).message}`;
			writeReply(res, fallbackSpec, { ok: false, failure: { status: 500, code: 'gateway-misconfigured', reason } });
			return { noWebhookResponse: true };
		}
		const { config, options } = loaded;
		const answering = replyNodes(this);
		if (config.timing === 'afterAccepted' && !answering.reply && !answering.respondToWebhook) {
			// Without a reply node n8n would answer 200 with an empty body when the workflow ends, which
			// Curity, Logto or Axigen read as "sent". Refuse to run rather than report a false success.
			req.resume();
			const reason =
				'the SMS gateway is misconfigured: "Reply: After the SMS Is Accepted" needs an SMS Gateway Reply node after the RingCentral node; nothing was sent';
			writeReply(res, config.reply, { ok: false, failure: { status: 500, code: 'gateway-misconfigured', reason } });
			return { noWebhookResponse: true };
		}
		const ip = req.ip ?? req.socket?.remoteAddress ?? '';
		const caller = { method: req.method ?? 'GET', headers: req.headers, rawQuery: splitUrlQuery(req.originalUrl ?? req.url ?? ''), ip };
		const maxBodyBytes = Math.round((options.maxBodyKb ?? DEFAULT_MAX_BODY_BYTES / 1024) * 1024);
		const body: Readable | Buffer = Buffer.isBuffer(req.rawBody) ? req.rawBody : req;
		const result = await handleGatewayRequest(config, caller, body, maxBodyBytes);
		if (!result.ok) {
			writeReply(res, config.reply, result, result.wwwAuthenticate);
			return { noWebhookResponse: true };
		}

		// Duplicate window: drop recipients that got this text moments ago; if nothing is left, answer
		// with the first request's reply and run nothing.
		const scope = `${this.getWorkflow().id ?? ''}:${this.getNode().name}`;
		let messages: GatewayMessage[] = result.messages;
		let keys: string[] | undefined;
		const windowMs = Math.round((options.duplicateWindowSeconds ?? 0) * 1000);
		if (windowMs > 0) {
			const claims = await Promise.all(messages.map((m) => sharedDuplicateWindow.claim(dedupeKey(scope, m.to, m.text), windowMs)));
			const fresh = messages.filter((_, i) => claims[i].first);
			if (fresh.length === 0) {
				const first = claims[0];
				const outcome = first.first ? undefined : (first.outcome ?? (await sharedDuplicateWindow.waitFor(first.key, Math.min(windowMs, DUPLICATE_WAIT_MS))));
				writeReply(
					res,
					config.reply,
					outcome ?? { ok: false, failure: { status: 409, code: 'duplicate-in-progress', reason: 'the same SMS was requested moments ago and is still being sent; it was not sent again' } },
				);
				return { noWebhookResponse: true };
			}
			messages = fresh;
			keys = claims.filter((c) => c.first).map((c) => c.key);
		}

		// Send limits per destination and per calling address, after the duplicate window so that a retry of
		// the same SMS does not count twice.
		const limited = await checkGatewayLimits(config, scope, messages, ip);
		if (!limited.ok) {
			for (const key of keys ?? []) sharedDuplicateWindow.settle(key, limited, true);
			writeReply(res, config.reply, limited);
			return { noWebhookResponse: true };
		}

		const gateway: GatewayContext = {
			preset: config.presetId,
			timing: config.timing,
			reply: config.reply,
			receivedAt: new Date().toISOString(),
			...(keys ? { dedupeKeys: keys } : {}),
		};
		const items: INodeExecutionData[] = messages.map((m) => ({ json: { ...m, gateway } as unknown as IDataObject }));

		if (config.timing === 'immediately') {
			writeReply(res, config.reply, { ok: true });
			// The caller was told "success": a retry must not text again, whatever the send does later.
			for (const key of keys ?? []) sharedDuplicateWindow.settle(key, { ok: true }, false);
			return { noWebhookResponse: true, workflowData: [items] };
		}
		// Whatever n8n writes back must be an SMS Gateway Reply's answer; anything else (a branch that ended
		// without one, n8n's empty 200 or its generic error) becomes the preset's failure reply.
		answerWhenNoReply(res, config.reply, { respondToWebhook: answering.respondToWebhook });
		if (keys) {
			// In queue mode the reply node runs on a worker and cannot settle our keys: the reply n8n
			// writes here, in this process, still tells success from failure.
			const settleKeys = keys;
			res.once('finish', () => {
				const { outcome, retryable } = outcomeFromStatus(res.statusCode);
				for (const key of settleKeys) sharedDuplicateWindow.settle(key, outcome, retryable);
			});
		}
		return { workflowData: [items] };
	}
}
