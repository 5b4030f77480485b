/**
 * The RingCentral operations this package uses, on top of one shared session. Every RingCentral call in
 * the package goes through here.
 */
import { createHash } from 'node:crypto';
import { LocalCoordinator, RedisCoordinator, type Coordinator } from './coordination';
import { beforeDeadline } from './deadline';
import { RingCentralApiError } from './errors';
import { credentialSchema, describeIssues, messageRecordSchema } from './schemas';
import { closeSharedRedis, redisPrefix, sharedRedis } from './redis';
import { RingCentralSession, normaliseServerUrl } from './session';
import type {
	CallOptions,
	ExtensionInfo,
	MessageRecord,
	PhoneNumberRecord,
	RingCentralCredentials,
	SendSmsRequest,
	TransportSettings,
} from './types';

const EXTENSION = '/restapi/v1.0/account/~/extension/~';
const SENDER_CACHE_MS = 5 * 60_000;

/** `usageType` values of the phone-number list, as RingCentral's contract enumerates them. */
export const PHONE_NUMBER_USAGE_TYPES = [
	'MainCompanyNumber',
	'AdditionalCompanyNumber',
	'CompanyNumber',
	'DirectNumber',
	'CompanyFaxNumber',
	'FmcBusinessMobileNumber',
	'InventoryFmcBusinessMobileNumber',
	'ForwardedNumber',
	'ForwardedCompanyNumber',
	'ContactCenterNumber',
	'ConferencingNumber',
	'MeetingsNumber',
	'NumberPool',
	'BusinessMobileNumber',
	'ELIN',
	'PartnerBusinessMobileNumber',
	'NumberPoolPartnerBusinessMobileNumber',
	'NumberStorage',
	'IntegrationNumber',
	'InventoryMobileNumber',
] as const;
export type PhoneNumberUsageType = (typeof PHONE_NUMBER_USAGE_TYPES)[number];

interface PagedPhoneNumbers {
	records?: PhoneNumberRecord[];
	paging?: { page?: number; totalPages?: number };
	navigation?: { nextPage?: unknown };
}

export class RingCentralClient {
	private senders?: { at: number; numbers: string[] };
	/** The list request in flight: a burst of executions with a cold cache makes one Light request, not one each. */
	private sendersLoading?: Promise<string[]>;

	constructor(readonly session: RingCentralSession) {}

	/** Logs in if needed; returns the granted scope (app permissions). */
	async authenticate(): Promise<{ scope: string[] }> {
		return this.session.ensureLoggedIn();
	}

	async getExtension(options: CallOptions = {}): Promise<ExtensionInfo> {
		return this.session.call<ExtensionInfo>({ method: 'GET', path: EXTENSION, group: 'light', idempotent: true, ...options });
	}

	async sendSms(request: SendSmsRequest, options: CallOptions = {}): Promise<MessageRecord> {
		const body: Record<string, unknown> = {
			from: { phoneNumber: request.from },
			to: [{ phoneNumber: request.to }],
			text: request.text,
		};
		if (request.country) body.country = { isoCode: request.country };
		let answer: unknown;
		try {
			answer = await this.session.call<unknown>({
				method: 'POST',
				path: `${EXTENSION}/sms`,
				body,
				group: 'medium',
				idempotent: false,
				// RingCentral may echo the text in an error (`parameterValue`); it can hold a one-time code.
				sensitive: [request.text],
				...options,
			});
		} catch (error) {
			throw await this.explainSendError(error, request);
		}
		const record = messageRecordSchema.safeParse(answer);
		if (!record.success) {
			throw new RingCentralApiError(
				`RingCentral answered the Send SMS request without a message record (${describeIssues(record.error)}); the outcome is unknown and it was not re-sent. Check that the Server URL points at RingCentral itself.`,
				{ outcomeUnknown: true, status: 200 },
			);
		}
		return record.data as MessageRecord;
	}

	async getMessage(id: string, options: CallOptions = {}): Promise<MessageRecord> {
		if (!/^\d{1,20}$/.test(id)) {
			throw new RingCentralApiError(`"${String(id).slice(0, 40)}" is not a RingCentral message id (digits only).`);
		}
		return this.session.call<MessageRecord>({
			method: 'GET',
			path: `${EXTENSION}/message-store/${id}`,
			group: 'light',
			idempotent: true,
			...options,
		});
	}

	/** Every phone number of the extension (all pages), optionally only those with a feature or usage type. */
	async listPhoneNumbers(filter: { feature?: string; usageType?: PhoneNumberUsageType } = {}, options: CallOptions = {}): Promise<PhoneNumberRecord[]> {
		const usageType = filter.usageType || undefined;
		if (usageType !== undefined && !PHONE_NUMBER_USAGE_TYPES.includes(usageType)) {
			throw new RingCentralApiError(`"${String(usageType).slice(0, 40)}" is not a RingCentral phone number usage type (for example DirectNumber or MainCompanyNumber).`);
		}
		const all: PhoneNumberRecord[] = [];
		for (let page = 1; page <= 100; page++) {
			const result = await this.session.call<PagedPhoneNumbers>({
				method: 'GET',
				path: `${EXTENSION}/phone-number`,
				// Only parameters with a value: the contract's `usageType` is an enum, and an empty one is not "any".
				query: usageType ? { page, perPage: 100, usageType } : { page, perPage: 100 },
				group: 'light',
				idempotent: true,
				...options,
			});
			all.push(...(result.records ?? []));
			const totalPages = result.paging?.totalPages;
			if (totalPages !== undefined ? page >= totalPages : !result.navigation?.nextPage) break;
		}
		return filter.feature ? all.filter((n) => (n.features ?? []).includes(filter.feature as string)) : all;
	}

	/** The extension's SMS-capable numbers, cached for a few minutes (they rarely change). */
	async getSmsSenders(options: CallOptions = {}): Promise<string[]> {
		if (this.senders && Date.now() - this.senders.at < SENDER_CACHE_MS) return this.senders.numbers;
		if (!this.sendersLoading) {
			// Shared by every caller, so bound by none of their deadlines (each keeps its own below).
			const loading = this.listPhoneNumbers({ feature: 'SmsSender' }).then((records) => {
				const numbers = records.map((n) => n.phoneNumber);
				this.senders = { at: Date.now(), numbers };
				return numbers;
			});
			this.sendersLoading = loading;
			const done = () => {
				if (this.sendersLoading === loading) this.sendersLoading = undefined;
			};
			loading.then(done, done);
		}
		// Each caller keeps its own deadline: one that cannot wait as long as the shared request fails alone.
		const { timeoutMs } = options;
		if (!timeoutMs || timeoutMs <= 0) return await this.sendersLoading;
		return await beforeDeadline(
			this.sendersLoading,
			timeoutMs,
			() =>
				new RingCentralApiError(
					`Not sent: the extension's SMS numbers (for From "Automatic") did not arrive within the ${Math.ceil(timeoutMs / 1000)} s this call may take. Nothing was sent.`,
					{ outcomeUnknown: false },
				),
		);
	}

	/** First SMS-enabled number of the extension, for "From: automatic". */
	async getDefaultSmsSender(options: CallOptions = {}): Promise<string> {
		const numbers = await this.getSmsSenders(options);
		if (numbers.length === 0) {
			throw new RingCentralApiError(
				'This RingCentral extension has no SMS-enabled phone number (feature SmsSender). Assign one in the RingCentral admin portal, or use the JWT of a user that has one.',
			);
		}
		return numbers[0];
	}

	/** A2P batch (high volume): one request for many recipients. */
	async sendA2pBatch(
		body: { from: string; text?: string; messages: Array<{ to: string[]; text?: string }> },
		options: CallOptions = {},
	): Promise<Record<string, unknown>> {
		const texts = [body.text, ...body.messages.map((m) => m.text)].filter((t): t is string => typeof t === 'string');
		return this.session.call({ method: 'POST', path: '/restapi/v1.0/account/~/a2p-sms/batches', body, group: 'light', idempotent: false, sensitive: texts, ...options });
	}

	async getA2pBatch(id: string, options: CallOptions = {}): Promise<Record<string, unknown>> {
		return this.session.call({
			method: 'GET',
			path: `/restapi/v1.0/account/~/a2p-sms/batches/${encodeURIComponent(id)}`,
			group: 'light',
			idempotent: true,
			...options,
		});
	}

	/** Adds what only we know: which number was refused, and which numbers would have worked. */
	private async explainSendError(error: unknown, request: SendSmsRequest): Promise<unknown> {
		if (!(error instanceof RingCentralApiError)) return error;
		const code = error.errorCode;
		const init = {
			status: error.status,
			errorCode: code,
			parameterName: error.parameterName,
			body: error.body,
			outcomeUnknown: false,
		};
		if (code === 'MSG-245' || code === 'MSG-367' || (error.parameterName === 'from' && error.status === 400)) {
			let numbers: string[] = [];
			try {
				this.senders = undefined;
				numbers = await this.getSmsSenders({ timeoutMs: 5000 });
			} catch {
				// The explanation is a courtesy; the original refusal is what matters.
			}
			const list = numbers.length ? `This extension's SMS numbers: ${numbers.join(', ')}.` : 'This extension has no SMS-enabled number.';
			const why = code === 'MSG-367' ? 'is not enabled for SMS' : "is not one of this extension's SMS numbers";
			return new RingCentralApiError(
				`The From number ${request.from} ${why} (RingCentral ${code ?? 'error'}); nothing was sent. An extension can only send from its own SMS-enabled numbers. ${list}`,
				init,
			);
		}
		if (code === 'CMN-101' && (error.parameterName ?? '').toLowerCase().startsWith('to')) {
			return new RingCentralApiError(`RingCentral refused the recipient number ${request.to} as invalid (CMN-101); nothing was sent.`, init);
		}
		if (code === 'MSG-246' || code === 'MSG-333') {
			return new RingCentralApiError(`RingCentral will not text ${request.to}: the recipient opted out or cannot receive SMS (${code}).`, init);
		}
		return error;
	}
}

const clients = new Map<string, RingCentralClient>();
const MAX_CLIENTS = 50;

export function credentialKey(credentials: RingCentralCredentials): string {
	return createHash('sha256')
		.update([normaliseServerUrl(credentials.serverUrl), credentials.clientId, credentials.clientSecret, credentials.jwt].join('\u0000'))
		.digest('hex');
}

function assertComplete(credentials: RingCentralCredentials): void {
	const parsed = credentialSchema.safeParse(credentials ?? {});
	if (!parsed.success) throw new RingCentralApiError(`The RingCentral JWT credential is not usable: ${describeIssues(parsed.error)}.`);
}

/**
 * The shared client for a credential: same credential values → same session, in every execution of
 * this process. Changing any credential field gives a new session.
 */
export function getRingCentralClient(credentials: RingCentralCredentials, settings: Partial<TransportSettings> = {}): RingCentralClient {
	assertComplete(credentials);
	const trimmed: RingCentralCredentials = {
		serverUrl: credentials.serverUrl.trim(),
		clientId: credentials.clientId.trim(),
		clientSecret: credentials.clientSecret.trim(),
		jwt: credentials.jwt.trim(),
	};
	const key = credentialKey(trimmed);
	let client = clients.get(key);
	if (client) {
		// Keep recently used clients at the end so eviction drops the idle ones.
		clients.delete(key);
		clients.set(key, client);
		return client;
	}
	client = new RingCentralClient(new RingCentralSession(trimmed, settings, coordinatorFor(key, trimmed)));
	clients.set(key, client);
	if (clients.size > MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
	return client;
}

/**
 * Queue mode needs no setting of its own: with n8n's queue Redis (or `N8N_RINGCENTRAL_REDIS_URL`) every
 * process shares one RingCentral session and one budget per credential (see redis.ts).
 */
function coordinatorFor(key: string, credentials: RingCentralCredentials): Coordinator {
	const redis = sharedRedis();
	if (!redis) return new LocalCoordinator();
	return new RedisCoordinator(redis, redisPrefix(), key, `${credentials.clientSecret}\u0000${credentials.jwt}`);
}

/** For tests: forget every shared session and close Redis connections. */
export async function resetRingCentralClients(): Promise<void> {
	clients.clear();
	await closeSharedRedis();
}
