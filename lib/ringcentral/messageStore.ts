/**
 * The extension's message store: the list (Light group, paged, filtered by date and direction) that a
 * trigger reads to catch up after downtime, and attachment content (Medium group) for inbound MMS.
 */
import type { RingCentralClient } from './client';
import { RingCentralApiError } from './errors';
import type { CallOptions, MessageRecord } from './types';

const EXTENSION = '/restapi/v1.0/account/~/extension/~';

export interface MessageListQuery {
	/** ISO 8601; RingCentral's default is 24 hours before dateTo, so always give it. */
	dateFrom: string;
	dateTo?: string;
	direction?: 'Inbound' | 'Outbound';
	messageType?: 'SMS' | 'Pager' | 'Fax' | 'VoiceMail';
	perPage?: number;
	/** Safety stop: at most this many pages are read (default 50). */
	maxPages?: number;
}

interface MessageList {
	records?: MessageRecord[];
	paging?: { page?: number; totalPages?: number };
	navigation?: { nextPage?: unknown };
}

/** Oldest first: by creation time, then by id (ids grow with time; compared as integers, not doubles). */
export function compareMessages(a: MessageRecord, b: MessageRecord): number {
	const ta = Date.parse(String(a.creationTime ?? ''));
	const tb = Date.parse(String(b.creationTime ?? ''));
	if (ta !== tb) return (Number.isFinite(ta) ? ta : 0) - (Number.isFinite(tb) ? tb : 0);
	const ia = BigInt(String(a.id).replace(/\D/g, '') || '0');
	const ib = BigInt(String(b.id).replace(/\D/g, '') || '0');
	return ia < ib ? -1 : ia > ib ? 1 : 0;
}

/** Every message matching the query (all pages), oldest first. */
export async function listMessages(client: RingCentralClient, query: MessageListQuery, options: CallOptions = {}): Promise<MessageRecord[]> {
	const all: MessageRecord[] = [];
	const perPage = Math.max(1, Math.min(1000, query.perPage ?? 100));
	const maxPages = query.maxPages ?? 50;
	for (let page = 1; page <= maxPages; page++) {
		const answer = await client.session.call<MessageList>({
			method: 'GET',
			path: `${EXTENSION}/message-store`,
			query: { dateFrom: query.dateFrom, dateTo: query.dateTo, direction: query.direction, messageType: query.messageType, page, perPage },
			group: 'light',
			idempotent: true,
			...options,
		});
		const records = Array.isArray(answer.records) ? answer.records : [];
		all.push(...records);
		const totalPages = answer.paging?.totalPages;
		if (records.length === 0 || (totalPages !== undefined ? page >= totalPages : !answer.navigation?.nextPage)) break;
	}
	const unique = new Map(all.map((m) => [String(m.id), m]));
	return [...unique.values()].sort(compareMessages);
}

const CONTENT_PATH = /^\/restapi\/v1\.0\/account\/[^/]+\/extension\/[^/]+\/message-store\/\d{1,20}\/content\/\d{1,20}$/;

/**
 * The bytes of one attachment. Only the path of the record's `uri` is used and it must be a message-store
 * content path: the bearer token goes to the credential's own server, never to a host named in an event.
 */
export async function getMessageContent(client: RingCentralClient, attachmentUri: string, options: CallOptions = {}): Promise<Buffer> {
	let path: string;
	try {
		path = new URL(attachmentUri, 'http://relative.invalid').pathname;
	} catch {
		path = '';
	}
	if (!CONTENT_PATH.test(path)) {
		throw new RingCentralApiError(`The attachment address "${String(attachmentUri).slice(0, 120)}" is not a RingCentral message-store content address; it was not fetched.`);
	}
	return client.session.call<Buffer>({ method: 'GET', path, group: 'medium', idempotent: true, responseType: 'bytes', ...options });
}
