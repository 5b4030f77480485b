/**
 * Sessions for the OAuth2 credential (`ringCentralOAuth2Api`, authorization code with PKCE). See
 * docs/oauth2.md.
 *
 * Who keeps the tokens: n8n. It stores them in the credential (`oauthTokenData`) after the user connects,
 * and its OAuth2 helper is the only code that may write a refreshed pair back. That matters because
 * RingCentral's auth-code refresh tokens are single use and rotate: a refresh whose new pair were kept only
 * in this process would leave the credential holding a spent token, and the next n8n restart (or another
 * worker) would have to ask the user to reconnect.
 *
 * So the transport still owns every API call (pacing, retries, error sentences, one session per credential,
 * one token acquisition at a time), and asks a broker — n8n's side — for tokens:
 * - `read()` the credential's current tokens (another process may have refreshed them);
 * - `renew()` when RingCentral refused the current access token: n8n's helper sends one request with it,
 *   sees the 401, refreshes with the stored refresh token, saves the rotated pair into the credential, and
 *   the transport reads it back.
 * When the refresh token itself is spent or expired, the error is a sentence telling the user to reconnect.
 */
import { createHash } from 'node:crypto';
import { LocalCoordinator } from './coordination';
import { RingCentralClient } from './client';
import { RingCentralApiError } from './errors';
import { RingCentralSession, normaliseServerUrl } from './session';
import type { TransportSettings } from './types';

/** The token answer n8n keeps in the credential, as RingCentral sent it. */
export interface OAuthTokens {
	access_token?: string;
	refresh_token?: string;
	expires_in?: number | string;
	refresh_token_expires_in?: number | string;
	scope?: string;
	token_type?: string;
	owner_id?: string;
	[key: string]: unknown;
}

/** n8n's side of the token handling, bound to a live execution. */
export interface TokenBroker {
	/** What the credential holds now. */
	read(): Promise<OAuthTokens | undefined>;
	/**
	 * One request with the credential's token through n8n's OAuth2 helper, which on a 401 refreshes and saves
	 * the rotated pair; resolves when RingCentral accepted it, rejects when it could not be renewed.
	 */
	renew(): Promise<void>;
	/** The credential's name, for the reconnect sentence. */
	credentialName: string;
}

/** What the session asks for when it has no usable access token. */
export interface TokenSource {
	obtain(rejectedAccessToken: string): Promise<Record<string, unknown>>;
}

export interface OAuthCredentialInfo {
	serverUrl: string;
	clientId: string;
	clientSecret: string;
	/** n8n's id of the credential: one session per credential, whatever its tokens are now. */
	credentialId: string;
}

/** Tokens as the SDK keeps them. No refresh token: the SDK must never refresh on its own (n8n does). */
function forSdk(tokens: OAuthTokens, now = Date.now()): Record<string, unknown> {
	const seconds = Math.min(3600, Math.max(60, Number(tokens.expires_in) || 3600));
	return {
		access_token: tokens.access_token,
		token_type: 'bearer',
		expires_in: seconds,
		// When n8n got the token is not stored; a token older than it looks is answered 401 and renewed.
		expire_time: now + seconds * 1000,
		refresh_token: '',
		refresh_token_expire_time: 0,
		scope: tokens.scope ?? '',
		owner_id: tokens.owner_id,
	};
}

export function reconnectSentence(credentialName: string): string {
	return `RingCentral no longer accepts the sign-in of the credential "${credentialName}": its refresh token has expired or was already used (RingCentral's refresh tokens are single use and expire after 7 days by default). Open the credential in n8n and click "Reconnect" (sign in with RingCentral again); nothing was sent.`;
}

class BrokeredTokens implements TokenSource {
	broker?: TokenBroker;
	/** The access token last handed to the session: asked again means the session can no longer use it. */
	private lastGiven = '';

	async obtain(rejectedAccessToken: string): Promise<Record<string, unknown>> {
		// Concurrent 401s can overwrite the session's note of the refused token with an empty one, so the token
		// this source handed out last counts as refused as well.
		const refused = new Set([rejectedAccessToken, this.lastGiven].filter(Boolean));
		const given = await this.pick(refused);
		this.lastGiven = String(given.access_token ?? '');
		return given;
	}

	private async pick(refused: Set<string>): Promise<Record<string, unknown>> {
		const broker = this.broker;
		if (!broker) throw new RingCentralApiError('The RingCentral OAuth2 credential is not available to this execution; nothing was sent.');
		const current = await broker.read();
		if (!current?.access_token) {
			throw new RingCentralApiError(
				`The RingCentral OAuth2 credential "${broker.credentialName}" is not connected yet. Open it in n8n and click "Connect my account"; nothing was sent.`,
				{ status: 401 },
			);
		}
		if (!refused.has(current.access_token)) return forSdk(current);
		let accepted = false;
		try {
			// Resolves once RingCentral accepted a request with the credential's token (refreshed by n8n if needed).
			await broker.renew();
			accepted = true;
		} catch {
			// Judged below: another process may have refreshed (and rotated) the tokens in the meantime.
		}
		const renewed = await broker.read();
		if (renewed?.access_token && (accepted || !refused.has(renewed.access_token))) return forSdk(renewed);
		throw new RingCentralApiError(reconnectSentence(broker.credentialName), { status: 401, errorCode: 'OAU-213' });
	}
}

interface Entry {
	client: RingCentralClient;
	tokens: BrokeredTokens;
}

const entries = new Map<string, Entry>();
const MAX_ENTRIES = 50;

function keyOf(info: OAuthCredentialInfo): string {
	return createHash('sha256')
		.update(['oauth2', normaliseServerUrl(info.serverUrl), info.clientId, info.clientSecret, info.credentialId].join('\u0000'))
		.digest('hex');
}

/**
 * The shared client of an OAuth2 credential. The broker is the calling execution's: the newest one is kept
 * for the token work of every caller of this credential in the process.
 */
export function getRingCentralOAuthClient(info: OAuthCredentialInfo, broker: TokenBroker, settings: Partial<TransportSettings> = {}): RingCentralClient {
	if (!/^https?:\/\/[^\s/]+/i.test(info.serverUrl.trim())) {
		throw new RingCentralApiError('The RingCentral OAuth2 credential has no usable server URL (for example https://platform.ringcentral.com).');
	}
	if (!info.clientId.trim() || !info.clientSecret.trim()) throw new RingCentralApiError('The RingCentral OAuth2 credential is missing its Client ID or Client Secret.');
	const key = keyOf(info);
	let entry = entries.get(key);
	if (!entry) {
		const tokens = new BrokeredTokens();
		const credentials = { serverUrl: info.serverUrl.trim(), clientId: info.clientId.trim(), clientSecret: info.clientSecret.trim(), jwt: '' };
		const session = new RingCentralSession(credentials, settings, new LocalCoordinator(), tokens);
		entry = { client: new RingCentralClient(session), tokens };
		entries.set(key, entry);
		if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
	} else {
		entries.delete(key);
		entries.set(key, entry);
	}
	entry.tokens.broker = broker;
	return entry.client;
}

/** For tests: forget every OAuth2 session. */
export function resetRingCentralOAuthClients(): void {
	entries.clear();
}
