/**
 * Keeping exactly one live subscription for the trigger: created on publish (with the handshake),
 * found again on every activation, replaced when it expired, was deleted or was blacklisted, renewed
 * before it expires, deleted on unpublish. The supervisor runs on the process that activated the
 * workflow (the main process; in queue mode only it runs activation), once per trigger.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'n8n-workflow';
import {
	RingCentralApiError,
	createWebhookSubscription,
	deleteSubscription,
	getSubscription,
	listSubscriptions,
	renewSubscription,
	type RingCentralClient,
	type SubscriptionInfo,
} from '../../lib/ringcentral';
import { CATCH_UP_HEADER } from './delivery';
import { stateKey, type TriggerStore } from './state';

export interface TriggerTarget {
	client: RingCentralClient;
	address: string;
	eventFilters: string[];
	lifetimeSeconds: number;
	verificationToken: string;
}

export function newVerificationToken(): string {
	return randomBytes(24).toString('base64url');
}

function expiresAt(info: SubscriptionInfo, lifetimeSeconds: number): number {
	const parsed = Date.parse(String(info.expirationTime ?? ''));
	return Number.isFinite(parsed) ? parsed : Date.now() + lifetimeSeconds * 1000;
}

/** Usable: ours, active and not about to expire. */
export function isUsable(info: SubscriptionInfo | undefined, address: string): boolean {
	if (!info || info.status !== 'Active') return false;
	if (info.deliveryMode?.address && info.deliveryMode.address !== address) return false;
	return Date.parse(String(info.expirationTime ?? '')) > Date.now() + 5_000 || info.expirationTime === undefined;
}

/**
 * Deletes every subscription of this credential that delivers to our address (an orphan from a crash, a
 * blacklisted one), then creates one. RingCentral runs the handshake before it answers.
 */
export async function replaceSubscription(target: TriggerTarget, store: TriggerStore): Promise<SubscriptionInfo> {
	const existing = await listSubscriptions(target.client, { timeoutMs: 20_000 });
	for (const sub of existing.filter((s) => s.deliveryMode?.address === target.address)) {
		await deleteSubscription(target.client, sub.id, { timeoutMs: 20_000 });
	}
	let info: SubscriptionInfo;
	try {
		info = await createWebhookSubscription(
			target.client,
			{ address: target.address, eventFilters: target.eventFilters, verificationToken: target.verificationToken, expiresIn: target.lifetimeSeconds },
			{ timeoutMs: 30_000 },
		);
	} catch (error) {
		if (error instanceof RingCentralApiError && error.errorCode === 'SUB-525') {
			throw new RingCentralApiError(
				`RingCentral could not validate this trigger's webhook address ${target.address} (SUB-525: it must answer RingCentral's handshake with a 200 within 3 s). Check that n8n's WEBHOOK_URL is the public HTTPS address RingCentral can reach, and that nothing in front of n8n (proxy, firewall, authentication) blocks or delays POST requests to it.`,
				{ status: error.status, errorCode: error.errorCode },
			);
		}
		throw error;
	}
	await store.setSubscription({ id: info.id, expiresAt: expiresAt(info, target.lifetimeSeconds) });
	return info;
}

/** Renews when less than half the lifetime is left; true when it did. */
export async function renewIfDue(target: TriggerTarget, store: TriggerStore, info: SubscriptionInfo): Promise<boolean> {
	const left = Date.parse(String(info.expirationTime ?? '')) - Date.now();
	if (!Number.isFinite(left) || left > (target.lifetimeSeconds * 1000) / 2) return false;
	const renewed = await renewSubscription(target.client, info.id, { timeoutMs: 20_000 });
	await store.setSubscription({ id: renewed.id ?? info.id, expiresAt: expiresAt(renewed, target.lifetimeSeconds) });
	return true;
}

/**
 * Asks this trigger's own webhook to catch up (list the message store and emit what was missed), so that
 * messages that arrived during downtime run the workflow without waiting for the next message. Retried
 * for about two minutes: on start-up n8n may not be listening yet.
 */
export function requestCatchUp(address: string, token: string, logger?: Logger): void {
	let attempt = 0;
	const tryOnce = async () => {
		attempt++;
		try {
			const res = await fetch(address, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'Verification-Token': token, [CATCH_UP_HEADER]: '1' },
				body: '{}',
				signal: AbortSignal.timeout(10_000),
			});
			if (res.ok) return;
			throw new Error(`HTTP ${res.status}`);
		} catch (error) {
			if (attempt >= 12) {
				logger?.warn(`RingCentral Trigger: could not start the catch-up at ${address} (${(error as Error).message}); it runs with the next message.`);
				return;
			}
			setTimeout(() => void tryOnce(), Math.min(15_000, 500 * 2 ** attempt)).unref();
		}
	};
	setTimeout(() => void tryOnce(), 300).unref();
}

interface Supervised {
	timer: NodeJS.Timeout;
	running: boolean;
}

const supervised = new Map<string, Supervised>();

export function checkIntervalMs(): number {
	const seconds = Number(process.env.N8N_RINGCENTRAL_TRIGGER_CHECK_SECONDS ?? 60);
	return Math.max(1, Number.isFinite(seconds) ? seconds : 60) * 1000;
}

/** One look at the subscription: replace it if it is gone or blacklisted, renew it if due. */
export async function superviseOnce(target: TriggerTarget, store: TriggerStore, logger?: Logger): Promise<'ok' | 'renewed' | 'replaced'> {
	const release = await store.lock('supervise', 60_000);
	if (!release) return 'ok';
	try {
		const current = await store.subscription();
		const info = current ? await getSubscription(target.client, current.id, { timeoutMs: 20_000 }) : undefined;
		if (!info || !isUsable(info, target.address)) {
			const why = !info ? 'gone (expired or deleted)' : info.status === 'Blacklisted' ? `blacklisted (${info.blacklistedData?.reason ?? 'no reason given'})` : 'expiring';
			const started = Date.now();
			const replacement = await replaceSubscription(target, store);
			await store.setCatchUpPending(true);
			logger?.info(`RingCentral Trigger: subscription ${current?.id ?? '(none)'} was ${why}; replaced by ${replacement.id} in ${Date.now() - started} ms.`);
			requestCatchUp(target.address, target.verificationToken, logger);
			return 'replaced';
		}
		return (await renewIfDue(target, store, info as SubscriptionInfo)) ? 'renewed' : 'ok';
	} finally {
		await release();
	}
}

export function supervise(target: TriggerTarget, store: TriggerStore, logger?: Logger): void {
	const key = stateKey(target.address);
	stopSupervising(target.address);
	const entry: Supervised = {
		running: false,
		timer: setInterval(() => {
			if (entry.running) return;
			entry.running = true;
			superviseOnce(target, store, logger)
				.catch((error: unknown) => logger?.warn(`RingCentral Trigger: subscription check failed: ${error instanceof Error ? error.message : String(error)}`))
				.finally(() => (entry.running = false));
		}, checkIntervalMs()),
	};
	entry.timer.unref();
	supervised.set(key, entry);
}

export function stopSupervising(address: string): void {
	const key = stateKey(address);
	const entry = supervised.get(key);
	if (entry) clearInterval(entry.timer);
	supervised.delete(key);
}
