/**
 * Webhook subscriptions (`/restapi/v1.0/subscription`), through the one session. Groups follow the
 * contract: create, update and delete are Medium; list, read and renew are Light.
 */
import type { RingCentralClient } from './client';
import { RingCentralApiError } from './errors';
import type { CallOptions } from './types';

const SUBSCRIPTION = '/restapi/v1.0/subscription';

export interface SubscriptionInfo {
	id: string;
	status?: string;
	eventFilters?: string[];
	expirationTime?: string;
	expiresIn?: number;
	creationTime?: string;
	deliveryMode?: { transportType?: string; address?: string };
	blacklistedData?: { reason?: string; blacklistedAt?: string };
	[key: string]: unknown;
}

export interface NewWebhookSubscription {
	address: string;
	eventFilters: string[];
	verificationToken: string;
	/** Lifetime in seconds; a top-level field (inside deliveryMode it would be ignored and 7 days apply). */
	expiresIn: number;
}

/** RingCentral caps a WebHook subscription at 10 years. */
export const MAX_WEBHOOK_LIFETIME_SECONDS = 315_360_000;

function subscriptionId(id: string): string {
	if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) throw new RingCentralApiError(`"${id.slice(0, 70)}" is not a RingCentral subscription id.`);
	return encodeURIComponent(id);
}

export async function createWebhookSubscription(client: RingCentralClient, request: NewWebhookSubscription, options: CallOptions = {}): Promise<SubscriptionInfo> {
	const expiresIn = Math.max(1, Math.min(MAX_WEBHOOK_LIFETIME_SECONDS, Math.floor(request.expiresIn)));
	return client.session.call<SubscriptionInfo>({
		method: 'POST',
		path: SUBSCRIPTION,
		body: {
			eventFilters: request.eventFilters,
			deliveryMode: { transportType: 'WebHook', address: request.address, verificationToken: request.verificationToken },
			expiresIn,
		},
		group: 'medium',
		// A second create would leave two subscriptions delivering the same events.
		idempotent: false,
		...options,
	});
}

/** The subscription, or undefined when RingCentral no longer has it (deleted or expired). */
export async function getSubscription(client: RingCentralClient, id: string, options: CallOptions = {}): Promise<SubscriptionInfo | undefined> {
	try {
		return await client.session.call<SubscriptionInfo>({ method: 'GET', path: `${SUBSCRIPTION}/${subscriptionId(id)}`, group: 'light', idempotent: true, ...options });
	} catch (error) {
		if (error instanceof RingCentralApiError && error.status === 404) return undefined;
		throw error;
	}
}

export async function listSubscriptions(client: RingCentralClient, options: CallOptions = {}): Promise<SubscriptionInfo[]> {
	const answer = await client.session.call<{ records?: SubscriptionInfo[] }>({ method: 'GET', path: SUBSCRIPTION, group: 'light', idempotent: true, ...options });
	return Array.isArray(answer.records) ? answer.records : [];
}

/** Extends the lifetime by the subscription's own `expiresIn` (renew takes no body). */
export async function renewSubscription(client: RingCentralClient, id: string, options: CallOptions = {}): Promise<SubscriptionInfo> {
	return client.session.call<SubscriptionInfo>({ method: 'POST', path: `${SUBSCRIPTION}/${subscriptionId(id)}/renew`, group: 'light', idempotent: true, ...options });
}

/** Deletes it; a subscription that is already gone counts as deleted. */
export async function deleteSubscription(client: RingCentralClient, id: string, options: CallOptions = {}): Promise<void> {
	try {
		await client.session.call({ method: 'DELETE', path: `${SUBSCRIPTION}/${subscriptionId(id)}`, group: 'medium', idempotent: true, ...options });
	} catch (error) {
		if (error instanceof RingCentralApiError && error.status === 404) return;
		throw error;
	}
}
