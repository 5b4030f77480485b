/**
 * After downtime (n8n stopped, the subscription blacklisted or replaced) the messages are still in
 * RingCentral's message store. This reads the store from the cursor (with a minute of overlap, because
 * creation times and delivery order are not strictly the same) and returns what was not yet emitted,
 * oldest first. Every message is claimed in the store first, so a live delivery and the catch-up can
 * never both emit it, whichever process runs them.
 */
import { listMessages, type MessageRecord, type RingCentralClient } from '../../lib/ringcentral';
import { wanted, type MessageFilter } from './delivery';
import type { TriggerStore } from './state';

const OVERLAP_MS = 60_000;

export async function catchUp(
	client: RingCentralClient,
	store: TriggerStore,
	filter: MessageFilter,
	lookBackMs: number,
): Promise<MessageRecord[] | undefined> {
	const release = await store.lock('catchUp', 120_000);
	// Someone else is catching up right now; what they find they emit.
	if (!release) return undefined;
	try {
		const now = Date.now();
		const cursor = await store.cursor();
		const from = Math.max(now - lookBackMs, (cursor ?? now - lookBackMs) - OVERLAP_MS);
		const records = await listMessages(
			client,
			{ dateFrom: new Date(from).toISOString(), direction: 'Inbound', messageType: 'SMS' },
			{ timeoutMs: 60_000 },
		);
		const missed: MessageRecord[] = [];
		for (const record of records) {
			if (!wanted(record, filter)) continue;
			if (await store.claim('message', String(record.id))) missed.push(record);
		}
		const newest = records.reduce((max, r) => Math.max(max, Date.parse(String(r.creationTime ?? '')) || 0), 0);
		if (newest) await store.advance(newest);
		await store.setCatchUpPending(false);
		return missed;
	} finally {
		await release();
	}
}
