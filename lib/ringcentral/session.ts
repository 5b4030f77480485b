/**
 * One logged-in RingCentral session per credential per process (per cluster with Redis), shared by every
 * execution.
 *
 * Why not a login per execution: the Auth rate-limit group allows 5 token requests a minute per user,
 * and RingCentral keeps only about five sessions per user — every extra login can silently end an older
 * one. So: log in once, refresh ahead of expiry, share one refresh between concurrent callers, and when
 * the refresh token is gone or refused, log in again with the JWT (the SDK alone does not do that).
 *
 * One API call is a short loop: wait in the group's queue, get a token (both bounded by the call's
 * deadline, so running out there means "not sent"), send, let the budget learn from the answer's headers,
 * and ask `classify.ts` whether to retry or fail.
 */
import { SDK } from '@ringcentral/sdk';
import { classifyNetworkFailure, classifyResponse, type AttemptContext, type Verdict } from './classify';
import { beforeDeadline } from './deadline';
import { LocalCoordinator, QueueTimeoutError, type Coordinator, type Slot, type StoredAuth } from './coordination';
import { RingCentralApiError, describeAuthFailure, redact, specificCode, type RingCentralErrorBody } from './errors';
import { retryAfterMs, statedBudget, type RateLimitGroup } from './limits';
import { MemoryStorage } from './memoryStorage';
import { classifyNetworkError } from './network';
import type { TokenSource } from './oauth';
import type { CallOptions, RingCentralCredentials, TransportSettings } from './types';

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
	/** Values no error may carry, even when RingCentral echoes them (the SMS text can hold a one-time code). */
	sensitive?: string[];
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
	maxQueueWaitMs: 600_000,
	tokenRequestTimeoutMs: 15_000,
	refreshMarginMs: 60_000,
};

const TOKEN_PATH = /\/restapi\/oauth\/token/;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

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

/** Failures before anything left for RingCentral: the caller may safely retry. */
function notSent(message: string, init: ConstructorParameters<typeof RingCentralApiError>[1] = {}): RingCentralApiError {
	return new RingCentralApiError(message, { ...init, outcomeUnknown: false });
}

const seconds = (ms: number) => (ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.max(1, Math.ceil(ms / 1000))} s`);

/** "Not sent" in words: how deep the queue is, what the budget is, and which setting bounds the wait. */
export function queueRefusal(error: QueueTimeoutError, allowedMs: number): RingCentralApiError {
	const { group, budget } = error;
	const rate = `${budget.limit} per ${seconds(budget.windowMs)}`;
	const why = error.penalty
		? `RingCentral's penalty for the "${group}" rate-limit group after a 429 is still running`
		: `${error.ahead} request${error.ahead === 1 ? ' is' : 's are'} queued ahead of it for the "${group}" rate-limit budget (${rate})`;
	return notSent(
		`Not sent: ${why}, so it would wait about ${seconds(error.waitMs)}, longer than the ${seconds(allowedMs)} this call may wait. Nothing was sent; raise "Longest Queue Wait" or "Time Budget", or send fewer messages at once.`,
		{ status: 429, rateLimitGroup: group, retryAfterMs: error.waitMs },
	);
}

export class RingCentralSession {
	readonly serverUrl: string;
	readonly stats: SessionStats = { logins: 0, refreshes: 0, rateLimitWaits: 0 };
	private readonly sdk: SDK;
	private readonly settings: TransportSettings;
	private readonly secrets: string[];
	private readonly jwt: string;
	/** Every token this session has held recently: redacted from errors like the JWT. */
	private readonly tokensSeen: string[] = [];
	private tokenPromise: Promise<void> | null = null;
	/** The access token RingCentral last answered 401 to: never reuse it from the shared store. */
	private rejectedToken = '';
	private readonly coordinator: Coordinator;

	constructor(
		credentials: RingCentralCredentials,
		settings: Partial<TransportSettings> = {},
		coordinator?: Coordinator,
		/** Set for an OAuth2 credential: tokens come from n8n (oauth.ts), never from a JWT login. */
		private readonly tokenSource?: TokenSource,
	) {
		this.coordinator = coordinator ?? new LocalCoordinator();
		this.serverUrl = normaliseServerUrl(credentials.serverUrl);
		this.settings = { ...DEFAULT_SETTINGS, ...settings };
		this.secrets = [credentials.clientSecret, credentials.jwt];
		this.jwt = credentials.jwt;
		const tokenTimeout = this.settings.tokenRequestTimeoutMs;
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
		const externals = this.sdk.externals() as unknown as { fetch: (r: Request) => Promise<Response>; Request: typeof Request };
		const plainFetch = externals.fetch;
		externals.fetch = async (request: Request) => {
			if (!TOKEN_PATH.test(request.url)) return plainFetch(request);
			// A token request has its own timeout, so a stalled token endpoint cannot hold the session lock for long.
			const init: RequestInit = { signal: AbortSignal.timeout(tokenTimeout) };
			// The SDK's refresh repeats the last `expires_in` as `access_token_ttl`, which can fall outside the
			// contract's 600–3600; without it RingCentral applies its defaults (1 hour, 7 days).
			const form = new URLSearchParams(await request.clone().text());
			if (form.get('grant_type') === 'refresh_token' && (form.has('access_token_ttl') || form.has('refresh_token_ttl'))) {
				form.delete('access_token_ttl');
				form.delete('refresh_token_ttl');
				init.body = form.toString();
			}
			return plainFetch(new externals.Request(request, init));
		};
		const platform = this.sdk.platform();
		// Tokens are obtained by `ensureToken` before each request (bounded by the call's deadline); the SDK
		// must not start a refresh of its own inside a request.
		(platform as unknown as { ensureLoggedIn: () => Promise<null> }).ensureLoggedIn = async () => null;
		platform.on(platform.events.refreshSuccess, () => {
			this.stats.refreshes++;
		});
	}

	/** Secret-free text: what the server said, minus anything that could be a credential, token or SMS text. */
	private clean(text: string, sensitive: string[] = []): string {
		return redact(text, [...this.secrets, ...this.tokensSeen, this.rejectedToken, ...sensitive]);
	}

	/** An error body fit for the node's output: no `parameterValue` (it echoes what was sent), no secrets. */
	private cleanBody(body: unknown, sensitive: string[] = []): unknown {
		if (body === undefined) return undefined;
		try {
			const copy = JSON.parse(JSON.stringify(body)) as { errors?: Array<Record<string, unknown>> };
			if (Array.isArray(copy.errors)) for (const entry of copy.errors) if (entry && typeof entry === 'object') delete entry.parameterValue;
			return JSON.parse(this.clean(JSON.stringify(copy), sensitive.map((s) => JSON.stringify(s).slice(1, -1))));
		} catch {
			return undefined;
		}
	}

	private cleanError(error: RingCentralApiError, sensitive: string[] = []): RingCentralApiError {
		return new RingCentralApiError(this.clean(error.message, sensitive), {
			status: error.status,
			errorCode: error.errorCode,
			parameterName: error.parameterName,
			retryAfterMs: error.retryAfterMs,
			rateLimitGroup: error.rateLimitGroup,
			outcomeUnknown: error.outcomeUnknown,
			body: this.cleanBody(error.body, sensitive),
			description: error.description === undefined ? undefined : this.clean(error.description, sensitive),
		});
	}

	private async remember(): Promise<void> {
		const data = (await this.sdk.platform().auth().data()) as StoredAuth;
		for (const token of [data.access_token, data.refresh_token]) {
			if (token && !this.tokensSeen.includes(token)) this.tokensSeen.push(token);
		}
		if (this.tokensSeen.length > 8) this.tokensSeen.splice(0, this.tokensSeen.length - 8);
	}

	private async tokenUsable(): Promise<boolean> {
		const auth = this.sdk.platform().auth();
		return (await auth.accessTokenValid()) && (await auth.data()).access_token !== this.rejectedToken;
	}

	/** A valid access token before `until`, or a "not sent" error: waiting for a token never sends anything. */
	private async ensureToken(until: number): Promise<void> {
		if (await this.tokenUsable()) return;
		if (!this.tokenPromise) {
			this.tokenPromise = this.obtainToken().finally(() => {
				this.tokenPromise = null;
			});
		}
		const waitMs = until - Date.now();
		try {
			await beforeDeadline(this.tokenPromise, waitMs, () =>
				notSent(
					`Not sent: RingCentral did not grant a session within ${seconds(waitMs)} (the login or token refresh is still running). Nothing was sent; retry in a moment.`,
				),
			);
		} catch (error) {
			if (error instanceof RingCentralApiError) throw error;
			throw notSent(
				this.coordinator.tokens
					? 'Not sent: the RingCentral session shared through Redis could not be read (is Redis reachable?). Nothing was sent.'
					: 'Not sent: no RingCentral session could be obtained. Nothing was sent.',
			);
		}
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
	private async obtainToken(): Promise<void> {
		const auth = this.sdk.platform().auth();
		const shared = this.coordinator.tokens;
		if (!shared) return this.refreshOrLogin();
		const deadline = Date.now() + 3 * this.settings.tokenRequestTimeoutMs;
		while (Date.now() < deadline) {
			const stored = await shared.read();
			if (this.usable(stored)) {
				await auth.setData(stored as never);
				return this.remember();
			}
			const result = await shared.withLock(deadline, async () => {
				const latest = await shared.read();
				if (this.usable(latest)) {
					await auth.setData(latest as never);
					return;
				}
				// Refresh tokens rotate: refresh with the newest one any process stored.
				if (latest?.refresh_token) await auth.setData(latest as never);
				await this.refreshOrLogin();
				await shared.write((await auth.data()) as StoredAuth);
			});
			if (result.ok) return this.remember();
		}
		throw notSent('Not sent: timed out waiting for another n8n process to log in to RingCentral.');
	}

	/** One token request, paced by the Auth group (5 a minute): it learns from the answer like any call. */
	private async tokenRequest(work: () => Promise<Response | unknown>): Promise<void> {
		const until = Date.now() + this.settings.tokenRequestTimeoutMs;
		let slot: Slot;
		try {
			slot = await this.coordinator.acquire('auth', until, this.settings.tokenRequestTimeoutMs);
		} catch (error) {
			if (error instanceof QueueTimeoutError) throw queueRefusal(error, this.settings.tokenRequestTimeoutMs);
			throw error;
		}
		let response: Response | undefined;
		try {
			response = (await work()) as Response | undefined;
		} catch (error: any) {
			const refused: Response | undefined = error?.response;
			await slot.used().catch(() => undefined);
			await this.learn(refused, 'auth');
			if (refused?.status === 429) await this.coordinator.penalise('auth', retryAfterMs(refused.headers.get('retry-after')) ?? 60_000).catch(() => undefined);
			throw error;
		}
		// Answered first, then learned: with nothing in flight the stated count can correct ours.
		await slot.used().catch(() => undefined);
		// The SDK's Response class is its fetch's, not the global one: check the shape, not the class.
		await this.learn(typeof response?.headers?.get === 'function' ? response : undefined, 'auth');
	}

	private async refreshOrLogin(): Promise<void> {
		const platform = this.sdk.platform();
		if (this.tokenSource) {
			await platform.auth().setData((await this.tokenSource.obtain(this.rejectedToken)) as never);
			this.rejectedToken = '';
			return await this.remember();
		}
		if (await platform.auth().refreshTokenValid()) {
			try {
				await this.tokenRequest(() => platform.refresh());
				this.rejectedToken = '';
				return await this.remember();
			} catch {
				// Refresh token refused (rotated elsewhere, session evicted, revoked): fall back to the JWT.
			}
		}
		this.stats.logins++;
		try {
			await this.tokenRequest(() => platform.login({ jwt: this.jwt }));
			this.rejectedToken = '';
			await this.remember();
		} catch (error) {
			throw await this.authError(error);
		}
	}

	private async authError(error: any): Promise<RingCentralApiError> {
		if (error instanceof RingCentralApiError) return this.cleanError(error);
		const response: Response | undefined = error?.response;
		if (!response) {
			const failure = classifyNetworkError(error, false);
			const sentence =
				failure.kind === 'timeout'
					? `RingCentral at ${this.serverUrl} did not answer the login within ${seconds(this.settings.tokenRequestTimeoutMs)}; nothing was sent. Retry in a moment.`
					: `Could not reach RingCentral at ${this.serverUrl} to log in; nothing was sent. Check the Server URL and that n8n can reach it.`;
			return notSent(this.clean(sentence), { description: failure.code });
		}
		const body = await readBody(response);
		const { code } = specificCode(body);
		return new RingCentralApiError(this.clean(describeAuthFailure(response.status, body, this.serverUrl)), {
			status: response.status,
			errorCode: code,
			retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
			rateLimitGroup: response.status === 429 ? 'auth' : undefined,
			body: this.cleanBody(body),
		});
	}

	/** Log in (if needed) and report the token's scope, for the credential test. */
	async ensureLoggedIn(): Promise<{ scope: string[] }> {
		await this.ensureToken(Date.now() + 2 * this.settings.tokenRequestTimeoutMs);
		const data = await this.sdk.platform().auth().data();
		return { scope: String((data as { scope?: string }).scope ?? '').split(/\s+/).filter(Boolean) };
	}

	private async learn(response: Response | undefined, group: string): Promise<void> {
		const stated = statedBudget(response?.headers, group);
		if (stated) await this.coordinator.observe(stated).catch(() => undefined);
	}

	/** Waits in the group's queue; past what the caller allows, refuses in words ("not sent"). */
	private async slotFor(group: string, started: number, deadline: number, maxQueueWaitMs: number): Promise<Slot> {
		// Leave the queue only with time to spare for the answer, or an answer could come too late to count.
		const reserve = Number.isFinite(deadline) ? Math.min(2_000, (deadline - started) / 4) : 0;
		const until = Math.min(Date.now() + maxQueueWaitMs, deadline - reserve);
		try {
			return await this.coordinator.acquire(group, until, this.settings.defaultTimeoutMs + this.settings.tokenRequestTimeoutMs);
		} catch (error) {
			if (error instanceof QueueTimeoutError) throw queueRefusal(error, Math.max(0, until - started));
			throw notSent('Not sent: the rate-limit budget shared through Redis could not be read (is Redis reachable?). Nothing was sent.');
		}
	}

	/**
	 * Sends one API call within its deadline, queued for its rate-limit group. Returns the parsed JSON body.
	 * `timeoutMs` (0 = none) bounds the whole call; `maxQueueWaitMs` the time spent waiting for the budget.
	 */
	async call<T>(request: ApiCall): Promise<T> {
		const started = Date.now();
		const deadline = request.timeoutMs && request.timeoutMs > 0 ? started + request.timeoutMs : Infinity;
		const maxQueueWaitMs = request.maxQueueWaitMs ?? this.settings.maxQueueWaitMs;
		const sensitive = (request.sensitive ?? []).filter((s) => s.length >= 4);
		const counts = { rateLimitRetries: 0, networkRetries: 0, tokenRenewals: 0 };
		for (;;) {
			const slot = await this.slotFor(request.group, started, deadline, maxQueueWaitMs);
			let verdict: Verdict | undefined;
			try {
				await this.ensureToken(Math.min(deadline, Date.now() + 2 * this.settings.tokenRequestTimeoutMs));
			} catch (error) {
				await slot.unused().catch(() => undefined);
				throw error instanceof RingCentralApiError ? this.cleanError(error, sensitive) : error;
			}
			const requestTimeoutMs = Math.max(1, Math.min(deadline - Date.now(), this.settings.defaultTimeoutMs));
			const context = (): AttemptContext => ({
				group: request.group,
				idempotent: request.idempotent,
				remainingMs: deadline - Date.now(),
				maxRateLimitRetries: this.settings.maxRateLimitRetries,
				maxRetryWaitMs: this.settings.maxRetryWaitMs,
				requestTimeoutMs,
				serverUrl: this.serverUrl,
				...counts,
			});
			const controller = new AbortController();
			let timedOut = false;
			const timer = setTimeout(() => {
				timedOut = true;
				controller.abort();
			}, requestTimeoutMs);
			try {
				const response = await this.sdk.platform().send({
					method: request.method,
					url: request.path,
					body: request.body as object,
					query: withoutEmpty(request.query),
					...(request.headers ? { headers: request.headers } : {}),
					signal: controller.signal,
					// Our loop decides about 401 and 429, not the SDK's single blind retry.
					retry: true,
				} as Parameters<ReturnType<SDK['platform']>['send']>[0]);
				// Bookkeeping trouble (Redis away) must never turn an accepted request into a failure.
				await slot.used().catch(() => undefined);
				await this.learn(response, request.group);
				if (request.responseType === 'bytes') return Buffer.from(await response.arrayBuffer()) as T;
				const text = await response.text();
				return (text ? JSON.parse(text) : {}) as T;
			} catch (error: any) {
				await slot.used().catch(() => undefined);
				const response: Response | undefined = error?.response;
				if (response) {
					await this.learn(response, request.group);
					verdict = classifyResponse({ status: response.status, headers: response.headers, body: await readBody(response) }, context());
				} else verdict = classifyNetworkFailure(classifyNetworkError(error, timedOut), context());
			} finally {
				clearTimeout(timer);
			}
			if (verdict.penaltyMs) await this.coordinator.penalise(request.group, verdict.penaltyMs).catch(() => undefined);
			if (verdict.action === 'fail') throw this.cleanError(verdict.error, sensitive);
			if (verdict.reason === 'rate-limit' || verdict.reason === 'unavailable') {
				counts.rateLimitRetries++;
				this.stats.rateLimitWaits++;
			} else if (verdict.reason === 'token-rejected') {
				counts.tokenRenewals++;
				this.rejectedToken = (await this.sdk.platform().auth().data()).access_token ?? '';
			} else counts.networkRetries++;
			// A 429's wait is the penalty, which the queue itself holds everyone to.
			if (verdict.reason !== 'rate-limit') await sleep(verdict.afterMs);
		}
	}
}

/** Query parameters without empty values: an empty `usageType=` is not "no filter" to the contract. */
export function withoutEmpty(query: Record<string, string | number | undefined> | undefined): Record<string, string | number> | undefined {
	if (!query) return undefined;
	const out: Record<string, string | number> = {};
	for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') out[key] = value;
	return out;
}
