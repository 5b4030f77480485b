/** Everything the simulator remembers: seed, configuration, sessions, limits, messages, faults, stats. */
import { resetCallLog } from './callLog';
import { RateLimiter } from './rateLimit';
import { defaultConfig, defaultSeed } from './seed';
import { SessionStore } from './sessions';
import type { FailingNumber, MessageStatus, RateGroup, SimConfig, SimConfigPatch, SimFault, SimMessageView, SimSeed, SimStats, SimUser, StoredMessage } from './types';

const groups = (): Record<RateGroup, number> => ({ light: 0, medium: 0, heavy: 0, auth: 0 });

function emptyStats(): SimStats {
	return {
		requests: 0,
		tokenRequests: 0,
		jwtLogins: 0,
		refreshes: 0,
		failedLogins: 0,
		failedRefreshes: 0,
		revokes: 0,
		sessionsEvicted: 0,
		activeSessions: 0,
		requestsByGroup: groups(),
		rateLimited: 0,
		rateLimitedByGroup: groups(),
		contractViolations: 0,
		unauthorized: 0,
		smsAccepted: 0,
		smsRejected: 0,
		a2pBatches: 0,
		faultsFired: 0,
		connectionsDropped: 0,
	};
}

export interface A2pBatch {
	id: string;
	clientId: string;
	extensionId: string;
	from: string;
	createdAt: number;
	messageIds: number[];
	rejected: Array<{ index: number; to: string[]; errorCode: string; description: string }>;
	batchSize: number;
}

export class SimState {
	readonly seed: SimSeed;
	config: SimConfig;
	private readonly initialConfig: SimConfig;
	readonly sessions = new SessionStore();
	readonly limiter: RateLimiter;
	messages: StoredMessage[] = [];
	/** id → message, so status polling stays cheap in long benchmark runs. */
	private readonly messageIndex = new Map<number, StoredMessage>();
	batches = new Map<string, A2pBatch>();
	faults: Array<SimFault & { remaining: number }> = [];
	stats: SimStats = emptyStats();
	private nextMessageId = 3_100_000_001;
	private nextBatchId = 1;
	/** Modules with state of their own (two-way messaging) clear it here on reset. */
	readonly resetHooks: Array<() => void> = [];

	constructor(seed: Partial<SimSeed> = {}, config: SimConfigPatch = {}) {
		const base = defaultSeed();
		this.seed = { accountId: seed.accountId ?? base.accountId, apps: seed.apps ?? base.apps, users: seed.users ?? base.users };
		this.config = defaultConfig();
		// Through configure() so nested settings (limits, delays) merge with the defaults.
		this.configure(config);
		this.initialConfig = { ...this.config };
		this.limiter = new RateLimiter(() => this.config);
	}

	/** Clears messages, stats, sessions, rate-limit counters and faults, and restores the start-up configuration. */
	reset(): void {
		this.config = { ...this.initialConfig };
		this.messages = [];
		this.messageIndex.clear();
		this.batches.clear();
		this.faults = [];
		this.stats = emptyStats();
		this.sessions.reset();
		this.limiter.reset();
		resetCallLog(this);
		for (const hook of this.resetHooks) hook();
	}

	configure(patch: SimConfigPatch): SimConfig {
		const next: SimConfig = { ...this.config };
		if (patch.latencyMs !== undefined) next.latencyMs = Math.max(0, Number(patch.latencyMs) || 0);
		if (patch.limits) next.limits = { ...next.limits, ...patch.limits } as SimConfig['limits'];
		if (patch.windowSeconds !== undefined) next.windowSeconds = Number(patch.windowSeconds);
		if (patch.penaltySeconds !== undefined) next.penaltySeconds = Number(patch.penaltySeconds);
		if (patch.statusDelays) next.statusDelays = { ...next.statusDelays, ...patch.statusDelays } as SimConfig['statusDelays'];
		if (patch.failingNumbers) {
			// A null entry removes a number from the failing list.
			const merged: Record<string, FailingNumber | null> = { ...next.failingNumbers, ...patch.failingNumbers };
			next.failingNumbers = Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, FailingNumber] => entry[1] !== null));
		}
		if (patch.maxSessionsPerUser !== undefined) next.maxSessionsPerUser = Math.max(1, Number(patch.maxSessionsPerUser));
		if (patch.accessTokenTtlOverride !== undefined) next.accessTokenTtlOverride = patch.accessTokenTtlOverride || undefined;
		if (patch.maxTextLength !== undefined) next.maxTextLength = Number(patch.maxTextLength);
		this.config = next;
		return next;
	}

	app(clientId: string) {
		return this.seed.apps.find((a) => a.clientId === clientId);
	}

	user(extensionId: string): SimUser | undefined {
		return this.seed.users.find((u) => u.extensionId === extensionId);
	}

	userByJwt(jwt: string): SimUser | undefined {
		return this.seed.users.find((u) => u.jwt === jwt);
	}

	addMessage(message: StoredMessage): void {
		this.messages.push(message);
		this.messageIndex.set(message.id, message);
	}

	findMessage(id: number): StoredMessage | undefined {
		return this.messageIndex.get(id);
	}

	newMessageId(): number {
		return this.nextMessageId++;
	}

	newBatchId(): string {
		return `sim-batch-${String(this.nextBatchId++).padStart(6, '0')}`;
	}

	/** Finds the first queued fault for this request and uses up one of its shots. */
	takeFault(method: string, path: string): SimFault | undefined {
		const index = this.faults.findIndex(
			(f) => (!f.method || f.method.toUpperCase() === method) && (!f.path || path.startsWith(f.path)),
		);
		if (index < 0) return undefined;
		const fault = this.faults[index];
		fault.remaining--;
		if (fault.remaining <= 0) this.faults.splice(index, 1);
		this.stats.faultsFired++;
		return fault;
	}

	statsSnapshot(): SimStats {
		return { ...this.stats, activeSessions: this.sessions.live().length };
	}

	messageView(message: StoredMessage, now = Date.now()): SimMessageView {
		return {
			id: String(message.id),
			from: message.from,
			to: [...message.to],
			text: message.text,
			time: new Date(message.createdAt).toISOString(),
			status: overallStatus(message, now),
			extensionId: message.extensionId,
			...(message.batchId ? { batchId: message.batchId } : {}),
		};
	}
}

/** Status of one recipient at `now`, from the delays fixed when the message was accepted. */
export function recipientStatus(message: StoredMessage, recipient: string, now = Date.now()): MessageStatus {
	const failure = message.failures[recipient];
	const sent = message.sentAt >= 0 && now >= message.sentAt;
	const delivered = message.deliveredAt >= 0 && now >= message.deliveredAt;
	if (failure?.status === 'SendingFailed') return sent ? 'SendingFailed' : 'Queued';
	if (delivered) return failure ? 'DeliveryFailed' : 'Delivered';
	return sent ? 'Sent' : 'Queued';
}

/**
 * Status of the whole message. For a group message the reference is silent; we report the first failure if
 * any recipient failed, else the least advanced recipient's status.
 */
export function overallStatus(message: StoredMessage, now = Date.now()): MessageStatus {
	const statuses = message.to.map((r) => recipientStatus(message, r, now));
	const failed = statuses.find((s) => s === 'SendingFailed' || s === 'DeliveryFailed');
	if (failed) return failed;
	const order: MessageStatus[] = ['Queued', 'Sent', 'Delivered'];
	return order[Math.min(...statuses.map((s) => order.indexOf(s)))];
}
