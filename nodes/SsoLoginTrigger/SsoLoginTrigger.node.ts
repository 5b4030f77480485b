import type { IDataObject, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { parseAllowList, type GatewayAuth } from '../../lib/gateway';
import { DEFAULT_MAX_LOGIN_BODY_BYTES, readLoginRequest, type LoginRequestConfig, type Refusal } from '../../lib/sso/request';
import { ssoLoginTriggerProperties } from './description';

const AUTH_CREDENTIAL = 'smsGatewayAuthApi';

type LoginHttpRequest = IncomingMessage & { ip?: string; rawBody?: Buffer };

interface LoginOptions {
	ipAllowList?: string;
	maxBodyKb?: number;
}

/** A refusal carries its short code only: no reason, no echo of what was sent. */
function writeRefusal(res: ServerResponse, refusal: Refusal): void {
	if (res.headersSent) return;
	const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
	if (refusal.wwwAuthenticate) headers['www-authenticate'] = refusal.wwwAuthenticate;
	res.writeHead(refusal.status, headers);
	res.end(JSON.stringify({ error: refusal.code }));
}

/** Whether a Respond to Webhook node answers: without one n8n would answer 200 with an empty body. */
function hasReplyNode(ctx: IWebhookFunctions): boolean {
	if (typeof ctx.getChildNodes !== 'function') return true;
	return ctx.getChildNodes(ctx.getNode().name).some((n) => !n.disabled && n.type.endsWith('.respondToWebhook'));
}

async function configOf(ctx: IWebhookFunctions): Promise<LoginRequestConfig> {
	const options = ctx.getNodeParameter('loginOptions', {}) as LoginOptions;
	const auth = (await ctx.getCredentials(AUTH_CREDENTIAL)) as unknown as GatewayAuth;
	return {
		auth,
		allowList: options.ipAllowList?.trim() ? parseAllowList(options.ipAllowList) : undefined,
		usernameField: String(ctx.getNodeParameter('usernameField', 'username')).trim() || 'username',
		passwordField: String(ctx.getNodeParameter('passwordField', 'password')).trim() || 'password',
		maxBodyBytes: Math.round((options.maxBodyKb ?? DEFAULT_MAX_LOGIN_BODY_BYTES / 1024) * 1024),
	};
}

/**
 * The sign-in endpoint an SSO caller (Ringotel) posts username and password to. It checks the caller's
 * Basic or Bearer authorization in constant time with the SMS Gateway Caller Auth credential, reads a
 * small JSON body, and refuses everything else itself (401, 403, 405, 413, 415, 400) before any workflow
 * runs. The workflow (Directory Login → Respond to Webhook) answers 200 or 403.
 */
export class SsoLoginTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'SSO Login Trigger',
		name: 'ssoLoginTrigger',
		icon: 'file:ssoLogin.svg',
		group: ['trigger'],
		// Version 1 on purpose: n8n skips its own body parsing only for version-1 webhook nodes (see `options`).
		version: 1,
		subtitle: '={{"POST /webhook/" + $parameter["path"]}}',
		description: 'Receive sign-in requests (username and password) from Ringotel or another single sign-on caller',
		defaults: { name: 'SSO Login Trigger' },
		inputs: [],
		outputs: ['main'],
		credentials: [{ name: AUTH_CREDENTIAL, required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', path: '={{$parameter["path"]}}', isFullPath: true, responseMode: 'responseNode' }],
		properties: ssoLoginTriggerProperties,
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject() as unknown as LoginHttpRequest;
		const res = this.getResponseObject() as unknown as ServerResponse;
		let config: LoginRequestConfig;
		try {
			config = await configOf(this);
		} catch {
			req.resume();
			writeRefusal(res, { status: 500, code: 'misconfigured', reason: 'the sign-in trigger is misconfigured' });
			return { noWebhookResponse: true };
		}
		if (!hasReplyNode(this)) {
			req.resume();
			writeRefusal(res, { status: 500, code: 'misconfigured', reason: 'no Respond to Webhook node follows the trigger' });
			return { noWebhookResponse: true };
		}
		const ip = req.ip ?? req.socket?.remoteAddress ?? '';
		const body: Readable | Buffer = Buffer.isBuffer(req.rawBody) ? req.rawBody : req;
		const request = await readLoginRequest(config, { method: req.method ?? 'POST', headers: req.headers, ip }, body);
		if (!request.ok) {
			writeRefusal(res, request);
			return { noWebhookResponse: true };
		}
		const item: IDataObject = { username: request.username, password: request.password, request: { ip, receivedAt: new Date().toISOString() } };
		return { workflowData: [[{ json: item }]] };
	}
}
