/**
 * OAuth endpoints (`/restapi/oauth/token`, `/restapi/oauth/revoke`) and the bearer check every API call
 * goes through.
 */
import { randomBytes } from 'node:crypto';
import { apiError, HttpError, oauthError, type Reply, type RequestCtx } from './http';
import { redeemCode } from './oauthCode';
import { verifyMintedJwt } from './seed';
import type { Session } from './sessions';
import type { SimState } from './state';
import type { SimApp, SimUser } from './types';

export const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Grants RingCentral knows; one of these that the app lacks is "unauthorized", anything else "unsupported". */
const KNOWN_GRANTS = [JWT_GRANT, 'refresh_token', 'authorization_code', 'password', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code'];
const DEFAULT_ACCESS_TTL = 3600;
const DEFAULT_REFRESH_TTL = 7 * 24 * 3600;

function authenticateClient(state: SimState, ctx: RequestCtx): SimApp {
	const match = /^basic\s+(\S+)$/i.exec(ctx.header('authorization') ?? '');
	if (!match) throw oauthError(401, 'invalid_client', 'OAU-153', 'Client authentication is required (Authorization: Basic).');
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	const clientId = colon >= 0 ? decoded.slice(0, colon) : decoded;
	const secret = colon >= 0 ? decoded.slice(colon + 1) : '';
	const app = state.app(clientId);
	// Never echo what the client sent: the secret could be in it.
	if (!app || app.clientSecret !== secret) throw oauthError(401, 'invalid_client', 'OAU-123', 'Invalid client');
	return app;
}

/** A number within [min, max]; missing, invalid or non-positive values (the SDK sends -1) mean `fallback`. */
function ttl(raw: string | null, fallback: number, min: number, max: number): number {
	const value = Number(raw);
	if (raw === null || raw === '' || !Number.isFinite(value) || value <= 0) return fallback;
	return Math.min(max, Math.max(min, Math.floor(value)));
}

function resolveJwtUser(state: SimState, assertion: string, now: number): SimUser {
	const minted = verifyMintedJwt(assertion);
	const user = state.userByJwt(assertion) ?? (minted ? state.user(minted.sub) : undefined);
	// The reference does not confirm the code for a bad JWT; OAU-140 is our choice, invalid_grant is certain.
	if (!user) throw oauthError(400, 'invalid_grant', 'OAU-140', 'Invalid JWT token');
	if (minted && minted.exp * 1000 <= now) throw oauthError(400, 'invalid_grant', 'OAU-210', 'JWT token is expired');
	return user;
}

function tokenResponse(state: SimState, session: Session, form: URLSearchParams, now: number): Record<string, unknown> {
	const accessTtl = state.config.accessTokenTtlOverride ?? ttl(form.get('access_token_ttl'), DEFAULT_ACCESS_TTL, 600, 3600);
	const refreshTtl = ttl(form.get('refresh_token_ttl'), DEFAULT_REFRESH_TTL, accessTtl, DEFAULT_REFRESH_TTL);
	const { accessToken, refreshToken } = state.sessions.issue(session, accessTtl, refreshTtl, now);
	return {
		access_token: accessToken,
		token_type: 'bearer',
		expires_in: accessTtl,
		refresh_token: refreshToken,
		refresh_token_expires_in: refreshTtl,
		scope: session.scope.join(' '),
		owner_id: session.extensionId,
		endpoint_id: `sim-endpoint-${session.id}-${randomBytes(4).toString('hex')}`,
	};
}

function rateLimitAuth(state: SimState, key: string, now: number): Record<string, string> {
	state.stats.requestsByGroup.auth++;
	const decision = state.limiter.check(key, 'auth', now);
	if (decision.error) {
		state.stats.rateLimited++;
		state.stats.rateLimitedByGroup.auth++;
		throw decision.error;
	}
	return decision.headers;
}

export function handleToken(state: SimState, ctx: RequestCtx): Reply {
	state.stats.tokenRequests++;
	const now = Date.now();
	const form = new URLSearchParams(ctx.rawBody);
	const grant = form.get('grant_type') ?? '';
	const isJwt = grant === JWT_GRANT;
	let limitHeaders: Record<string, string> = {};
	try {
		const app = authenticateClient(state, ctx);
		if (!grant) throw oauthError(400, 'invalid_request', 'OAU-101', 'Parameter [grant_type] is missing');
		if (!KNOWN_GRANTS.includes(grant)) throw oauthError(400, 'unsupported_grant_type', 'OAU-250', 'Unsupported grant type');
		if (!app.grants.includes(grant)) throw oauthError(400, 'unauthorized_client', 'OAU-251', 'Unauthorized for this grant type');

		if (isJwt) {
			const assertion = form.get('assertion') ?? '';
			if (!assertion) throw oauthError(400, 'invalid_request', 'OAU-101', 'Parameter [assertion] is missing');
			// Per-user limit: an unknown JWT has no user, so it counts against the app's anonymous bucket.
			const known = state.userByJwt(assertion) ?? state.user(verifyMintedJwt(assertion)?.sub ?? '');
			const headers = rateLimitAuth(state, `${app.clientId}|${known?.extensionId ?? 'anonymous'}`, now);
			limitHeaders = headers;
			const user = resolveJwtUser(state, assertion, now);
			const scope = app.scopes.filter((s) => !user.permissions || user.permissions.includes(s));
			const { session, evicted } = state.sessions.create(app.clientId, user.extensionId, scope, state.config.maxSessionsPerUser, now);
			state.stats.sessionsEvicted += evicted.length;
			state.stats.jwtLogins++;
			return { status: 200, body: tokenResponse(state, session, form, now), headers: { ...headers, 'Cache-Control': 'no-store' } };
		}

		if (grant === 'authorization_code') {
			const headers = rateLimitAuth(state, `${app.clientId}|code`, now);
			limitHeaders = headers;
			const user = state.user(redeemCode(state, app, form, now));
			if (!user) throw oauthError(400, 'invalid_grant', 'OAU-113', 'Authorization code is invalid or has been used');
			const scope = app.scopes.filter((s) => !user.permissions || user.permissions.includes(s));
			const { session, evicted } = state.sessions.create(app.clientId, user.extensionId, scope, state.config.maxSessionsPerUser, now);
			state.stats.sessionsEvicted += evicted.length;
			return { status: 200, body: tokenResponse(state, session, form, now), headers: { ...headers, 'Cache-Control': 'no-store' } };
		}

		// grant_type=refresh_token
		const refreshToken = form.get('refresh_token') ?? '';
		if (!refreshToken) throw oauthError(400, 'invalid_request', 'OAU-101', 'Parameter [refresh_token] is missing');
		const session = state.sessions.findByRefresh(refreshToken);
		const headers = rateLimitAuth(state, `${app.clientId}|${session?.extensionId ?? 'anonymous'}`, now);
		limitHeaders = headers;
		// Used, revoked, evicted or another app's token: all look the same from outside.
		if (!session || session.clientId !== app.clientId) throw oauthError(400, 'invalid_grant', 'OAU-213', 'Token not found');
		if (session.refreshExpiresAt <= now) throw oauthError(400, 'invalid_grant', 'OAU-210', 'Token is expired');
		state.stats.refreshes++;
		return { status: 200, body: tokenResponse(state, session, form, now), headers: { ...headers, 'Cache-Control': 'no-store' } };
	} catch (error) {
		if (isJwt) state.stats.failedLogins++;
		else if (grant === 'refresh_token') state.stats.failedRefreshes++;
		// A refusal after the rate check still tells the client where its auth budget stands.
		if (error instanceof HttpError) throw new HttpError(error.status, error.body, { ...limitHeaders, ...error.headers });
		throw error;
	}
}

/** Revoking either token ends the whole session. Not rate-limited here (the reference is silent). */
export function handleRevoke(state: SimState, ctx: RequestCtx): Reply {
	authenticateClient(state, ctx);
	const form = new URLSearchParams(ctx.rawBody);
	const token = form.get('token') ?? '';
	if (!token) throw oauthError(400, 'invalid_request', 'OAU-101', 'Parameter [token] is missing');
	if (state.sessions.revoke(token)) state.stats.revokes++;
	return { status: 200 };
}

/** The bearer check of every API call: the scheme is matched case-insensitively (the SDK sends "bearer"). */
export function authenticateBearer(state: SimState, ctx: RequestCtx): { session: Session; user: SimUser } {
	const match = /^bearer\s+(\S+)\s*$/i.exec(ctx.header('authorization') ?? '');
	const fail = (error: HttpError): never => {
		state.stats.unauthorized++;
		throw error;
	};
	if (!match) return fail(apiError(401, 'AGW-401', 'Authorization header is not specified'));
	const check = state.sessions.checkAccess(match[1]);
	if (!check.ok) {
		if (check.reason === 'expired') {
			return fail(apiError(401, 'OAU-128', 'Access token expired', { category: 'TokenExpired' }));
		}
		return fail(apiError(401, 'OAU-213', 'Token not found', { category: 'TokenInvalid' }));
	}
	const user = state.user(check.session.extensionId);
	if (!user) return fail(apiError(401, 'OAU-213', 'Token not found', { category: 'TokenInvalid' }));
	return { session: check.session, user };
}
