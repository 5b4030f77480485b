/**
 * The authorization-code flow with PKCE, as RingCentral's contract describes it:
 * - `GET /restapi/oauth/authorize?response_type=code&client_id&redirect_uri&state&code_challenge&code_challenge_method`
 *   sends the browser to a login/consent page (RingCentral's lives on its login host; ours at `/login`).
 * - The page posts back; "Authorize" redirects to `redirect_uri?code=…&state=…`, "Deny" to
 *   `redirect_uri?error=access_denied&state=…`.
 * - `POST /restapi/oauth/token` with `grant_type=authorization_code`, `code`, `redirect_uri` and, when the
 *   authorize request carried a challenge, `code_verifier` (S256: base64url(sha256(verifier)); plain: equal).
 *   The code is single use and short-lived; the answer is a normal token pair whose refresh token rotates.
 *
 * Our choices where the reference is silent: codes live 60 s; an app without registered redirect URIs
 * accepts any http(s) redirect; a wrong verifier or a reused code is `invalid_grant` OAU-109 / OAU-113.
 */
import { createHash, randomBytes } from 'node:crypto';
import { oauthError, type RequestCtx } from './http';
import type { SimState } from './state';
import type { SimApp } from './types';

interface PendingCode {
	clientId: string;
	extensionId: string;
	redirectUri: string;
	challenge?: string;
	method: 'plain' | 'S256';
	expiresAt: number;
}

const CODE_TTL_MS = 60_000;
const codes = new WeakMap<SimState, Map<string, PendingCode>>();

function codesOf(state: SimState): Map<string, PendingCode> {
	let map = codes.get(state);
	if (!map) {
		map = new Map();
		codes.set(state, map);
	}
	return map;
}

export interface HtmlReply {
	status: number;
	headers: Record<string, string>;
	html: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string, status = 200): HtmlReply {
	return {
		status,
		headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
		html: `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body style="font-family:sans-serif;max-width:420px;margin:60px auto">${body}</body></html>`,
	};
}

function redirect(location: string): HtmlReply {
	return { status: 302, headers: { Location: location, 'Cache-Control': 'no-store' }, html: '' };
}

function allowedRedirect(app: SimApp, uri: string): boolean {
	if (!/^https?:\/\/[^\s]+$/i.test(uri)) return false;
	return !app.redirectUris?.length || app.redirectUris.includes(uri);
}

/** Checks an authorize request; a bad client or redirect is shown on the page, never redirected to. */
function validate(state: SimState, q: URLSearchParams): { app: SimApp } | { error: HtmlReply } {
	const app = state.app(q.get('client_id') ?? '');
	const fail = (text: string) => ({ error: page('Authorization failed', `<h1>Authorization failed</h1><p id="error">${escape(text)}</p>`, 400) });
	if (!app) return fail('Unknown client_id (OAU-100).');
	if (!app.grants.includes('authorization_code')) return fail('This app is not allowed to use the authorization code flow (OAU-251).');
	if (q.get('response_type') !== 'code') return fail('response_type must be "code".');
	if (!allowedRedirect(app, q.get('redirect_uri') ?? '')) return fail('redirect_uri is missing or not registered for this app (OAU-102).');
	const method = q.get('code_challenge_method');
	if (method && method !== 'plain' && method !== 'S256') return fail('code_challenge_method must be plain or S256.');
	return { app };
}

const FORWARDED = ['client_id', 'response_type', 'redirect_uri', 'state', 'code_challenge', 'code_challenge_method', 'scope'];

/** `GET /restapi/oauth/authorize`, `GET /login` and `POST /login`; undefined for any other path. */
export function handleLoginPages(state: SimState, ctx: RequestCtx): HtmlReply | undefined {
	if (ctx.method === 'GET' && ctx.path === '/restapi/oauth/authorize') {
		const checked = validate(state, ctx.query);
		if ('error' in checked) return checked.error;
		return redirect(`${ctx.baseUrl}/login?${ctx.query.toString()}`);
	}
	if (ctx.path !== '/login') return undefined;
	if (ctx.method === 'GET') {
		const checked = validate(state, ctx.query);
		if ('error' in checked) return checked.error;
		const hidden = FORWARDED.filter((k) => ctx.query.has(k))
			.map((k) => `<input type="hidden" name="${k}" value="${escape(ctx.query.get(k) ?? '')}">`)
			.join('');
		const users = state.seed.users
			.map((u, i) => `<option value="${escape(u.extensionId)}"${i === 0 ? ' selected' : ''}>${escape(u.name)} (ext. ${escape(u.extensionNumber)})</option>`)
			.join('');
		return page(
			'Sign in to RingCentral',
			`<h1>RingCentral (simulator)</h1><p>The app <b>${escape(checked.app.clientId)}</b> asks to act as you: ${escape(checked.app.scopes.join(', '))}.</p>
<form method="post" action="/login">${hidden}<label>Sign in as <select name="extension_id" id="extension">${users}</select></label>
<p><button type="submit" name="decision" value="allow" id="authorize">Authorize</button> <button type="submit" name="decision" value="deny" id="deny">Deny</button></p></form>`,
		);
	}
	if (ctx.method !== 'POST') return undefined;
	const form = new URLSearchParams(ctx.rawBody);
	const checked = validate(state, form);
	if ('error' in checked) return checked.error;
	const target = new URL(form.get('redirect_uri') as string);
	const stateParam = form.get('state');
	if (stateParam !== null) target.searchParams.set('state', stateParam);
	const user = state.user(form.get('extension_id') ?? '');
	if (form.get('decision') !== 'allow' || !user) {
		target.searchParams.set('error', 'access_denied');
		target.searchParams.set('error_description', 'The user denied the request');
		return redirect(target.toString());
	}
	const code = `sim-code-${randomBytes(18).toString('base64url')}`;
	const challenge = form.get('code_challenge') || undefined;
	codesOf(state).set(code, {
		clientId: checked.app.clientId,
		extensionId: user.extensionId,
		redirectUri: form.get('redirect_uri') as string,
		challenge,
		method: (form.get('code_challenge_method') as 'plain' | 'S256' | null) ?? 'plain',
		expiresAt: Date.now() + CODE_TTL_MS,
	});
	target.searchParams.set('code', code);
	return redirect(target.toString());
}

/** Redeems a code for the token endpoint: the user it was issued to, or an OAuth error. */
export function redeemCode(state: SimState, app: SimApp, form: URLSearchParams, now = Date.now()): string {
	const code = form.get('code') ?? '';
	if (!code) throw oauthError(400, 'invalid_request', 'OAU-101', 'Parameter [code] is missing');
	const pending = codesOf(state).get(code);
	// Single use, whatever happens next.
	codesOf(state).delete(code);
	if (!pending || pending.clientId !== app.clientId) throw oauthError(400, 'invalid_grant', 'OAU-113', 'Authorization code is invalid or has been used');
	if (pending.expiresAt <= now) throw oauthError(400, 'invalid_grant', 'OAU-113', 'Authorization code is expired');
	if ((form.get('redirect_uri') ?? '') !== pending.redirectUri) throw oauthError(400, 'invalid_grant', 'OAU-102', 'redirect_uri does not match the authorization request');
	if (pending.challenge) {
		const verifier = form.get('code_verifier') ?? '';
		const computed = pending.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
		if (!verifier || computed !== pending.challenge) throw oauthError(400, 'invalid_grant', 'OAU-109', 'Code verifier does not match the code challenge');
	}
	return pending.extensionId;
}
