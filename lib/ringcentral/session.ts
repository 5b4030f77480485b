/**
 * One logged-in RingCentral session per credential per process, shared by every execution.
 *
 * Why not a login per execution: the Auth rate-limit group allows 5 token requests a minute per user,
 * and RingCentral keeps only about five sessions per user — every extra login can silently end an older
 * one. So: log in once, refresh ahead of expiry, share one refresh between concurrent callers, and when
 * the refresh token is gone or refused, log in again with the JWT (the SDK alone does not do that).
 *
 * Retries follow RingCentral's client rules: 429/503 wait for Retry-After (bounded) and retry; a 401 gets
 * one refresh and one retry (the SDK does that); anything that may have reached the server — a timeout or
 * a reset after connecting — is never re-sent for a non-idempotent call (SMS has no idempotency key).
 */
import { SDK } from '@ringcentral/sdk';
import {
	RingCentralApiError,
	describeApiFailure,
	describeAuthFailure,
	redact,
	redactDeep,
	specificCode,
	type RingCentralErrorBody,
} from './errors';
import { LocalCoordinator, QueueTimeoutError, limitsFromEnv, type Coordinator, type StoredAuth } from './coordination';
import { MemoryStorage } from './memoryStorage';
import { classifyNetworkError } from './network';
import type { CallOptions, RingCentralCredentials, TransportSettings } from './types';

export type RateLimitGroup = 'light' | 'medium' | 'heavy' | 'auth';

export interface ApiCall extends CallOptions {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
	path: string;
	body?: unknown;
	query?: Record<string, string | number | undefined>;
	group: RateLimitGroup;
	/** A call that changes nothing (or changes the same thing twice harmlessly) may be retried after a network failure. */
	idempotent: boolean;
	/** Extra request headers (a multipart Content-Type with its boundary). */
	headers?: Record<string, string>;
	/** `bytes`: the answer's body as a Buffer (an MMS attachment), not parsed as JSON. */
	responseType?: 'json' | 'bytes';
}

export interface SessionStats {
	logins: number;
	refreshes: number;
	rateLimitWaits: number;
}

export const DEFAULT_SETTINGS: TransportSettings = {
	maxRetryWaitMs: 60_000,
	maxRateLimitRetries: 3,
	defaultTimeoutMs: 60_000,
	refreshMarginMs: 60_000,
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function parseRetryAfter(value: string | null | undefined): number | undefined {
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
	const date = Date.parse(value);
	return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

async function readBody(response: Response | undefined): Promise<RingCentralErrorBody | undefined> {
	if (!response) return undefined;
	try {
		const text = await response.clone().text();
		return text ? (JSON.parse(text) as RingCentralErrorBody) : undefined;
	} catch {
		return undefined;
	}
}

export function normaliseServerUrl(serverUrl: string): string {
	const trimmed = (serverUrl || '').trim().replace(/\/+$/, '');
	return trimmed.replace(/\/restapi(\/v1\.0)?$/i, '');
}

export class RingCentralSession {
	readonly serverUrl: string;
	readonly stats: SessionStats = { logins: 0, refreshes: 0, rateLimitWaits: 0 };
	private readonly sdk: SDK;
	private readonly settings: TransportSettings;
	private readonly secrets: string[];
	private tokenPromise: Promise<void> | null = null;
	/** The access token RingCentral last answered 401 to: never reuse it from the shared store. */
	private rejectedToken = '';
	private readonly coordinator: Coordinator;

	constructor(
		credentials: RingCentralCredentials,
		settings: Partial<TransportSettings> = {},
		coordinator?: Coordinator,
	) {
		this.coordinator = coordinator ?? new LocalCoordinator(limitsFromEnv());
		this.serverUrl = normaliseServerUrl(credentials.serverUrl);
		this.settings = { ...DEFAULT_SETTINGS, ...settings };
		this.secrets = [credentials.clientSecret, credentials.jwt];
		this.sdk = new SDK({
			server: this.serverUrl,
			clientId: credentials.clientId,
			clientSecret: credentials.clientSecret,
			appName: 'n8n-nodes-ringcentral-sms',
			appVersion: '0.1.0',
			localStorage: new MemoryStorage(),
			cachePrefix: 'rc-n8n-',
			refreshDelayMs: 0,
			refreshHandicapMs: this.settings.refreshMarginMs,
			clearCacheOnRefreshError: true,
		} as ConstructorParameters<typeof SDK>[0]);
		const platform = this.sdk.platform();
		const jwt = credentials.jwt;
		// The SDK refreshes before each request through ensureLoggedIn(); ours adds the JWT fallback and the
		// single shared login. The SDK's own 401 handling (cancel token, retry once) then also goes through it.
		(platform as unknown as { ensureLoggedIn: () => Promise<null> }).ensureLoggedIn = async () => {
			await this.ensureToken(jwt);
			return null;
		};
		platform.on(platform.events.refreshSuccess, () => {
			this.stats.refreshes++;
		});
		const auth = platform.auth();
		const cancel = auth.cancelAccessToken.bind(auth);
		auth.cancelAccessToken = async () => {
			this.rejectedToken = (await auth.data()).access_token ?? '';
			return cancel();
		};
	}

	/** Secret-free text: what the server said, minus anything that could be a credential or a token. */
	private clean(text: string): string {
		return redact(text, [...this.secrets, ...this.currentTokens()]);
	}

	private currentTokens(): string[] {
		try {
			const storage = (this.sdk.externals() as unknown as { localStorage: Storage }).localStorage;
			const tokens: string[] = [];
			for (let i = 0; i < storage.length; i++) {
				const raw = storage.getItem(storage.key(i) ?? '') ?? '';
				const match = raw.match(/"(access_token|refresh_token)":"([^"]+)"/g) ?? [];
				for (const m of match) tokens.push(m.split('":"')[1].replace(/"$/, ''));
			}
			return tokens;
		} catch {
			return [];
		}
	}

	private async ensureToken(jwt: string): Promise<void> {
		if (await this.sdk.platform().auth().accessTokenValid()) return;
		if (!this.tokenPromise) {
			this.tokenPromise = (async () => {
				try {
					await this.obtainToken(jwt);
				} finally {
					this.tokenPromise = null;
				}
			})();
		}
		return this.tokenPromise;
	}

	private usable(data: StoredAuth | undefined): boolean {
		return (
			!!data?.access_token &&
			data.access_token !== this.rejectedToken &&
			Number(data.expire_time ?? 0) - this.settings.refreshMarginMs > Date.now()
		);
	}

	/**
	 * Gets a valid access token: from another process through the shared store when there is one, else by
	 * refreshing, else by logging in with the JWT — under the shared lock, so the whole cluster performs one
	 * login and one refresh at a time.
	 */
	private async obtainToken(jwt: string): Promise<void> {
		const auth = this.sdk.platform().auth();
		const shared = this.coordinator.tokens;
		if (!shared) return this.refreshOrLogin(jwt);
		const deadline = Date.now() + 30_000;
		while (Date.now() < deadline) {
			const stored = await shared.read();
			if (this.usable(stored)) {
				await auth.setData(stored as never);
				return;
			}
			const result = await shared.withLock(deadline, async () => {
				const latest = await shared.read();
				if (this.usable(latest)) {
					await auth.setData(latest as never);
					return;
				}
				// Refresh tokens rotate: refresh with the newest one any process stored.
				if (latest?.refresh_token) await auth.setData(latest as never);
				await this.refreshOrLogin(jwt);
				await shared.write((await auth.data()) as StoredAuth);
			});
			if (result.ok) return;
		}
		throw new RingCentralApiError('Timed out waiting for another n8n process to log in to RingCentral.');
	}

	private async refreshOrLogin(jwt: string): Promise<void> {
		const auth = this.sdk.platform().auth();
		if (await auth.refreshTokenValid()) {
			try {
				await this.sdk.platform().refresh();
				return;
			} catch {
				// Refresh token refused (rotated elsewhere, session evicted, revoked): fall back to the JWT.
			}
		}
		await this.login(jwt);
	}

	/** Called only from obtainToken, which `tokenPromise` already makes one-at-a-time for all callers. */
	private async login(jwt: string): Promise<void> {
		this.stats.logins++;
		try {
			await this.sdk.platform().login({ jwt });
		} catch (error) {
			throw await this.authError(error);
		}
	}

	private async authError(error: any): Promise<RingCentralApiError> {
		if (error instanceof RingCentralApiError) return error;
		const response: Response | undefined = error?.response;
		if (!response) {
			const failure = classifyNetworkError(error, false);
			return new RingCentralApiError(
				this.clean(`Could not reach RingCentral at ${this.serverUrl} to log in. Check the Server URL and that n8n can reach it.`),
				{ description: failure.code },
			);
		}
		const body = await readBody(response);
		const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
		const { code } = specificCode(body);
		return new RingCentralApiError(this.clean(describeAuthFailure(response.status, body, this.serverUrl)), {
			status: response.status,
			errorCode: code,
			retryAfterMs,
			rateLimitGroup: response.status === 429 ? 'auth' : undefined,
			body: redactDeep(body, this.secrets),
		});
	}

	/** Log in (if needed) and report the token's scope, for the credential test. */
	async ensureLoggedIn(jwt: string): Promise<{ scope: string[] }> {
		await this.ensureToken(jwt);
		const data = await this.sdk.platform().auth().data();
		return { scope: String((data as { scope?: string }).scope ?? '').split(/\s+/).filter(Boolean) };
	}

	/**
	 * Sends one API call with deadline, rate-limit waits and honest failure classification.
	 * Returns the parsed JSON body.
	 */
	async call<T>(request: ApiCall): Promise<T> {
		const timeoutMs = request.timeoutMs && request.timeoutMs > 0 ? request.timeoutMs : this.settings.defaultTimeoutMs;
		const deadline = Date.now() + timeoutMs;
		let rateLimitRetries = 0;
		let networkRetries = 0;
		// Only a call that is safe to repeat is retried after network trouble or a 408/5xx: twice, with backoff.
		const retryIdempotent = async (): Promise<boolean> => {
			if (!request.idempotent || networkRetries >= 2 || Date.now() >= deadline - 500) return false;
			networkRetries++;
			await sleep(250 * networkRetries);
			return true;
		};

		for (;;) {
			try {
				await this.coordinator.acquire(request.group, deadline);
			} catch (error) {
				if (!(error instanceof QueueTimeoutError)) throw error;
				throw new RingCentralApiError(
					`Not sent: the "${request.group}" rate-limit budget of this RingCentral user is used up (or in a penalty after a 429) and the next free slot is in ${Math.ceil(error.waitMs / 1000)} s, beyond this call's time budget. Nothing was sent; retry later or send more slowly.`,
					{ status: 429, rateLimitGroup: request.group, retryAfterMs: error.waitMs },
				);
			}
			const controller = new AbortController();
			let timedOut = false;
			const timer = setTimeout(() => {
				timedOut = true;
				controller.abort();
			}, Math.max(1, deadline - Date.now()));
			try {
				const response = await this.sdk.platform().send({
					method: request.method,
					url: request.path,
					body: request.body as object,
					query: request.query,
					...(request.headers ? { headers: request.headers } : {}),
					signal: controller.signal,
				} as Parameters<ReturnType<SDK['platform']>['send']>[0]);
				if (request.responseType === 'bytes') return Buffer.from(await response.arrayBuffer()) as T;
				const text = await response.text();
				return (text ? JSON.parse(text) : {}) as T;
			} catch (error: any) {
				if (error instanceof RingCentralApiError) throw error;
				const response: Response | undefined = error?.response;
				const isTokenCall = response && /\/oauth\/token/.test(response.url ?? '');
				if (isTokenCall) throw await this.authError(error);
				if (!response) {
					const failure = classifyNetworkError(error, timedOut);
					if (failure.kind === 'never-sent') {
						if (await retryIdempotent()) continue;
						throw new RingCentralApiError(
							this.clean(`Could not reach RingCentral at ${this.serverUrl}; nothing was sent. Check the Server URL and that n8n can reach it.`),
							{ description: failure.code },
						);
					}
					if (failure.kind !== 'timeout' && (await retryIdempotent())) continue;
					// No raw socket codes in the sentence: n8n swaps messages that mention them for a generic one.
					const what = failure.kind === 'timeout' ? `no answer within ${Math.round(timeoutMs / 1000)} s` : 'the connection broke';
					throw new RingCentralApiError(
						request.idempotent
							? `RingCentral request failed: ${what}.`
							: `The outcome is unknown: ${what} after the request was sent, so RingCentral may or may not have accepted it. It was not re-sent, to avoid a duplicate SMS; check the message log before retrying.`,
						{ outcomeUnknown: !request.idempotent, description: [failure.kind, failure.code].filter(Boolean).join(': ') },
					);
				}
				const status = response.status;
				const body = await readBody(response);
				const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
				const group = (response.headers.get('x-rate-limit-group') ?? request.group).toLowerCase();
				if (status === 429 || status === 503) {
					// RingCentral: without Retry-After wait at least 30 s. A 429 starts a penalty for the group.
					const wait = retryAfterMs ?? (status === 429 ? 30_000 : 5_000);
					if (status === 429) await this.coordinator.penalise(group, wait).catch(() => undefined);
					const canWait =
						rateLimitRetries < this.settings.maxRateLimitRetries &&
						wait <= this.settings.maxRetryWaitMs &&
						Date.now() + wait < deadline;
					if (canWait) {
						rateLimitRetries++;
						this.stats.rateLimitWaits++;
						await sleep(wait);
						continue;
					}
				}
				if ([408, 500, 502, 504].includes(status) && (await retryIdempotent())) continue;
				const { code, parameterName } = specificCode(body);
				const maybeDone = !request.idempotent && [500, 502, 504].includes(status);
				const message = describeApiFailure(status, body, {
					retryAfterMs,
					group,
					limit: response.headers.get('x-rate-limit-limit') ?? undefined,
					window: response.headers.get('x-rate-limit-window') ?? undefined,
				});
				throw new RingCentralApiError(
					this.clean(
						maybeDone
							? `${message} The outcome is unknown: RingCentral may have accepted the message before failing; it was not re-sent.`
							: message,
					),
					{
						status,
						errorCode: code,
						parameterName,
						retryAfterMs,
						rateLimitGroup: status === 429 ? group : undefined,
						outcomeUnknown: maybeDone,
						body: redactDeep(body, this.secrets),
					},
				);
			} finally {
				clearTimeout(timer);
			}
		}
	}
}
