/** The HTTP server: control API, injected faults, latency, routing, bearer check and rate-limit groups. */
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleCreateBatch, handleGetBatch, handleListA2pMessages } from './a2p';
import { handleExtension, handlePhoneNumbers } from './account';
import { handleGetCallRecord, handleListCallLog, handleListCallQueues, handleListQueueMembers } from './callLog';
import { authenticateBearer, handleRevoke, handleToken } from './auth';
import { admit, withHeaders } from './admit';
import { enforceContract, findOperation } from './contract';
import { addFaults, handleControl, parseFaults } from './control';
import { apiError, HttpError, readBodyBytes, send, sleep, type Reply, type RequestCtx } from './http';
import { messagingOf, routeMessaging } from './messaging';
import { handleMessagingControl } from './messagingControl';
import { handleLoginPages } from './oauthCode';
import type { Session } from './sessions';
import { handleGetMessage, handleSendSms } from './sms';
import { SimState } from './state';
import type { RateGroup, SimConfig, SimConfigPatch, SimFault, SimMessageView, SimSeed, SimStats, SimUser } from './types';

interface ApiRoute {
	method: string;
	/** Matched against the path after `/restapi/v1.0/account/~`, with the own extension id shown as `~`. */
	pattern: RegExp;
	group: RateGroup;
	run(state: SimState, ctx: RequestCtx, session: Session, user: SimUser, params: string[]): Reply;
}

const API_ROUTES: ApiRoute[] = [
	{ method: 'GET', pattern: /^\/extension\/~$/, group: 'light', run: (s, c, session, user) => handleExtension(s, c, session, user) },
	{ method: 'GET', pattern: /^\/extension\/~\/phone-number$/, group: 'light', run: (s, c, session, user) => handlePhoneNumbers(s, c, session, user) },
	{ method: 'POST', pattern: /^\/extension\/~\/(?:sms|company-pager)$/, group: 'medium', run: (s, c, session, user) => handleSendSms(s, c, session, user) },
	{ method: 'GET', pattern: /^\/extension\/~\/message-store\/([^/]+)$/, group: 'light', run: (s, c, session, _u, p) => handleGetMessage(s, c, session, p[0]) },
	{ method: 'POST', pattern: /^\/a2p-sms\/batches$/, group: 'light', run: (s, c, session, user) => handleCreateBatch(s, c, session, user) },
	{ method: 'GET', pattern: /^\/a2p-sms\/batches\/([^/]+)$/, group: 'light', run: (s, _c, session, _u, p) => handleGetBatch(s, session, p[0]) },
	{ method: 'GET', pattern: /^\/a2p-sms\/messages$/, group: 'light', run: (s, c, session) => handleListA2pMessages(s, c, session) },
	{ method: 'GET', pattern: /^\/call-log$/, group: 'heavy', run: (s, c, session, user) => handleListCallLog(s, c, session, user, 'account') },
	{ method: 'GET', pattern: /^\/call-log\/([^/]+)$/, group: 'heavy', run: (s, c, session, user, p) => handleGetCallRecord(s, c, session, user, 'account', p[0]) },
	{ method: 'GET', pattern: /^\/extension\/~\/call-log$/, group: 'heavy', run: (s, c, session, user) => handleListCallLog(s, c, session, user, 'extension') },
	{
		method: 'GET',
		pattern: /^\/extension\/~\/call-log\/([^/]+)$/,
		group: 'heavy',
		run: (s, c, session, user, p) => handleGetCallRecord(s, c, session, user, 'extension', p[0]),
	},
	{ method: 'GET', pattern: /^\/call-queues$/, group: 'medium', run: (s, c, session) => handleListCallQueues(s, c, session) },
	{ method: 'GET', pattern: /^\/call-queues\/([^/]+)\/members$/, group: 'light', run: (s, c, session, _u, p) => handleListQueueMembers(s, c, session, p[0]) },
];

function notFound(): HttpError {
	return apiError(404, 'AGW-404', 'Resource not found');
}

/** Default body of an injected status fault, in RingCentral's words where we know them. */
function faultBody(status: number): unknown {
	if (status === 429) return { errorCode: 'CMN-301', message: 'Request rate exceeded', errors: [{ errorCode: 'CMN-301', message: 'Request rate exceeded' }] };
	if (status === 503) return { errorCode: 'CMN-201', message: 'Service Temporary Unavailable', errors: [{ errorCode: 'CMN-201', message: 'Service Temporary Unavailable' }] };
	return { errorCode: `SIM-${status}`, message: `Simulated failure (HTTP ${status})`, errors: [{ errorCode: `SIM-${status}`, message: 'Simulated failure' }] };
}

function routeApi(state: SimState, ctx: RequestCtx): Reply {
	if (ctx.method === 'POST' && (ctx.path === '/restapi/oauth/token' || ctx.path === '/restapi/oauth/revoke')) {
		enforceContract(state.stats, ctx, findOperation(ctx.method, ctx.path));
		return ctx.path.endsWith('/token') ? handleToken(state, ctx) : handleRevoke(state, ctx);
	}
	const account = /^\/restapi\/v1\.0\/account\/([^/]+)(\/.*)?$/.exec(ctx.path);
	if (!account || (account[1] !== '~' && account[1] !== state.seed.accountId)) throw notFound();
	const rest = account[2] ?? '';
	// Authenticate before routing so a wrong token gets 401 whatever the path.
	const { session, user } = authenticateBearer(state, ctx);
	const ownPath = rest.replace(/^\/extension\/(\d+)(?=\/|$)/, (whole, id: string) => (id === user.extensionId ? '/extension/~' : whole));
	for (const route of API_ROUTES) {
		const match = route.pattern.exec(ownPath);
		if (!match || route.method !== ctx.method) continue;
		const headers = admit(state, ctx, session, route.group);
		try {
			const reply = route.run(state, ctx, session, user, match.slice(1));
			return { ...reply, headers: { ...headers, ...reply.headers } };
		} catch (error) {
			throw withHeaders(error, headers);
		}
	}
	throw notFound();
}

function decodePath(pathname: string): string {
	try {
		return decodeURIComponent(pathname);
	} catch {
		return pathname;
	}
}

async function handle(state: SimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://simulator.invalid');
	const rawBytes = await readBodyBytes(req, /\/mms\/?$/.test(url.pathname) ? 10 * 1024 * 1024 : undefined);
	const rawBody = rawBytes.toString('utf8');
	const ctx: RequestCtx = {
		method: (req.method ?? 'GET').toUpperCase(),
		path: decodePath(url.pathname),
		query: url.searchParams,
		rawBody,
		rawBytes,
		header: (name) => {
			const value = req.headers[name.toLowerCase()];
			return Array.isArray(value) ? value[0] : value;
		},
		baseUrl: `http://${req.headers.host ?? 'localhost'}`,
	};
	const requestId = randomUUID();
	if (ctx.path === '/_sim' || ctx.path.startsWith('/_sim/')) {
		if (await handleMessagingControl(state, ctx, res)) return;
		const reply = handleControl(state, ctx);
		send(res, reply.status, reply.body, reply.headers);
		return;
	}

	// The authorization-code flow's browser pages (HTML, not the JSON API).
	const login = handleLoginPages(state, ctx);
	if (login) {
		res.writeHead(login.status, login.headers).end(login.html);
		return;
	}

	state.stats.requests++;
	const fault = state.takeFault(ctx.method, ctx.path);
	if (fault?.drop === 'before') {
		state.stats.connectionsDropped++;
		req.socket.destroy();
		return;
	}
	if (fault?.delayMs) await sleep(fault.delayMs);
	if (fault?.expireTokens) state.sessions.expireAllAccessTokens();
	if (fault?.revokeRefreshTokens) state.sessions.revokeAllRefreshTokens();
	if (state.config.latencyMs > 0) await sleep(state.config.latencyMs);
	if (fault?.status) {
		send(res, fault.status, fault.body ?? faultBody(fault.status), { RCRequestId: requestId, ...fault.headers });
		return;
	}

	if (fault?.drop !== 'after' && (await routeMessaging(state, ctx, res, requestId))) return;
	let reply: Reply;
	try {
		reply = routeApi(state, ctx);
	} catch (error) {
		if (!(error instanceof HttpError)) throw error;
		reply = { status: error.status, body: error.body, headers: error.headers };
	}
	if (fault?.drop === 'after') {
		// The ambiguous case: the request was carried out (an SMS stored) but the client never hears back.
		state.stats.connectionsDropped++;
		req.socket.destroy();
		return;
	}
	send(res, reply.status, reply.body, { RCRequestId: requestId, ...reply.headers });
}

export interface SimulatorOptions {
	port?: number;
	host?: string;
	latencyMs?: number;
	seed?: Partial<SimSeed>;
	config?: SimConfigPatch;
}

export interface Simulator {
	/** e.g. http://127.0.0.1:41234 — use it as the credential's Server URL. */
	url: string;
	port: number;
	close(): Promise<void>;
	/** Accepted SMS (both /sms and A2P), oldest first. */
	messages(filter?: { to?: string; from?: string }): SimMessageView[];
	stats(): SimStats;
	reset(): void;
	/** Replaces the queued faults. */
	setFaults(faults: SimFault | SimFault[]): void;
	/** Appends to the queued faults. */
	addFaults(faults: SimFault | SimFault[]): void;
	configure(patch: SimConfigPatch): SimConfig;
	/** The live state, for assertions the accessors above do not cover. */
	state: SimState;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const state = new SimState(options.seed, { ...options.config, ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}) });
	const server = http.createServer((req, res) => {
		handle(state, req, res).catch((error: unknown) => {
			if (error instanceof HttpError) return send(res, error.status, error.body, error.headers);
			const bad = error instanceof SyntaxError;
			send(res, bad ? 400 : 500, { errorCode: bad ? 'SIM-400' : 'CMN-500', message: bad ? 'Malformed JSON' : 'Internal simulator error' });
		});
	});
	// Clients such as undici keep connections alive; do not let an idle one outlive close().
	server.keepAliveTimeout = 5000;
	const host = options.host ?? '127.0.0.1';
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const { port } = server.address() as AddressInfo;
	const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
	const asList = (f: SimFault | SimFault[]) => parseFaults(f);
	return {
		url: `http://${urlHost}:${port}`,
		port,
		state,
		close: () =>
			new Promise<void>((resolve, reject) => {
				messagingOf(state).close();
				server.close((error) => (error ? reject(error) : resolve()));
				server.closeAllConnections();
			}),
		messages: (filter = {}) =>
			state.messages.filter((m) => (!filter.to || m.to.includes(filter.to)) && (!filter.from || m.from === filter.from)).map((m) => state.messageView(m)),
		stats: () => state.statsSnapshot(),
		reset: () => state.reset(),
		setFaults: (faults) => {
			state.faults = [];
			addFaults(state, asList(faults));
		},
		addFaults: (faults) => addFaults(state, asList(faults)),
		configure: (patch) => state.configure(patch),
	};
}
