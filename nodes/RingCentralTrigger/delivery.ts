/**
 * Reading one request to the trigger's webhook: the validation handshake, the token check, the
 * subscription check, and the message record as an output item.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';
import { normalizePhone } from '../../lib/phone';
import type { MessageRecord } from '../../lib/ringcentral';

/** RingCentral's validation token is a UUID-like string; anything long or odd is not echoed. */
const HANDSHAKE_TOKEN = /^[A-Za-z0-9._~+/=-]{1,256}$/;

/** The header n8n's own catch-up request carries (with the verification token) after a recovery. */
export const CATCH_UP_HEADER = 'x-n8n-ringcentral-catch-up';

export type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
}

/** The Validation-Token to echo when this is RingCentral's handshake (no event in the body). */
export function handshakeToken(headers: Headers, body: unknown): string | undefined | 'invalid' {
	const token = header(headers, 'validation-token');
	if (token === undefined) return undefined;
	const hasEvent = !!body && typeof body === 'object' && ('event' in (body as object) || 'uuid' in (body as object));
	if (hasEvent) return undefined;
	return HANDSHAKE_TOKEN.test(token) ? token : 'invalid';
}

function sameSecret(a: string, b: string): boolean {
	// Hash first: timingSafeEqual needs equal lengths, and the length itself must not leak.
	return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/**
 * The platform names the header `Verification-Token` in older documents and `Validation-Token` in newer
 * ones; either passes when it matches. 'missing' and 'wrong' are refused the same way by the caller.
 */
export function checkVerificationToken(headers: Headers, expected: string[]): 'ok' | 'missing' | 'wrong' {
	const offered = [header(headers, 'verification-token'), header(headers, 'validation-token')].filter((v): v is string => typeof v === 'string' && v !== '');
	if (offered.length === 0) return 'missing';
	const known = expected.filter((e) => e.length > 0);
	let match = false;
	// Compare every pair so the time does not depend on which one matched.
	for (const o of offered) for (const e of known) match = sameSecret(o, e) || match;
	return match ? 'ok' : 'wrong';
}

export interface NotificationEnvelope {
	uuid: string;
	event: string;
	subscriptionId: string;
	timestamp?: string;
	body: MessageRecord;
}

/** The delivery's envelope, or a sentence saying what is missing. */
export function parseEnvelope(body: unknown): NotificationEnvelope | string {
	if (!body || typeof body !== 'object') return 'The body is not a RingCentral notification.';
	const b = body as Record<string, unknown>;
	if (typeof b.uuid !== 'string' || b.uuid === '' || b.uuid.length > 200) return 'The notification has no uuid.';
	if (typeof b.event !== 'string') return 'The notification has no event.';
	if (typeof b.subscriptionId !== 'string' || b.subscriptionId === '') return 'The notification has no subscriptionId.';
	if (!b.body || typeof b.body !== 'object') return 'The notification has no body.';
	return { uuid: b.uuid, event: b.event, subscriptionId: b.subscriptionId, timestamp: typeof b.timestamp === 'string' ? b.timestamp : undefined, body: b.body as MessageRecord };
}

export const INSTANT_SMS_FILTER = '/restapi/v1.0/account/~/extension/~/message-store/instant?type=SMS';
const INSTANT_SMS_EVENT = /^\/restapi\/v1\.0\/account\/[^/]+\/extension\/[^/]+\/message-store\/instant\?type=SMS$/;

export function isInstantSmsEvent(event: string): boolean {
	return INSTANT_SMS_EVENT.test(event);
}

export interface MessageAttachmentRef {
	id: string;
	uri: string;
	contentType: string;
	fileName?: string;
	size?: number;
}

/** The MMS attachments of a record (the text part RingCentral also lists is not one). */
export function mmsAttachments(record: MessageRecord): MessageAttachmentRef[] {
	const list = Array.isArray(record.attachments) ? (record.attachments as Array<Record<string, unknown>>) : [];
	return list
		.filter((a) => a && a.type === 'MmsAttachment' && typeof a.uri === 'string')
		.map((a) => ({
			id: String(a.id),
			uri: String(a.uri),
			contentType: typeof a.contentType === 'string' ? a.contentType : 'application/octet-stream',
			fileName: typeof a.fileName === 'string' ? a.fileName : undefined,
			size: typeof a.size === 'number' ? a.size : undefined,
		}));
}

export interface MessageFilter {
	sms: boolean;
	mms: boolean;
	/** E.164 numbers of ours; empty = every number of the extension. */
	receivingNumbers: string[];
}

/** Whether the workflow wants this message: inbound, of a wanted kind, to a wanted number. */
export function wanted(record: MessageRecord, filter: MessageFilter): boolean {
	if (record.direction !== 'Inbound') return false;
	if (record.type !== undefined && record.type !== 'SMS') return false;
	const isMms = mmsAttachments(record).length > 0;
	if (isMms ? !filter.mms : !filter.sms) return false;
	if (filter.receivingNumbers.length === 0) return true;
	const to = (record.to ?? []).map((t) => t.phoneNumber).filter(Boolean) as string[];
	return to.some((n) => filter.receivingNumbers.includes(n));
}

/** "+1 650…, 650…" → E.164 numbers; an unreadable one is reported by the caller. */
export function parseNumbers(raw: string, defaultCountry = 'US'): { numbers: string[]; invalid?: string } {
	const numbers: string[] = [];
	for (const part of raw.split(/[,;\n]+/).map((p) => p.trim()).filter(Boolean)) {
		const phone = normalizePhone(part, { defaultCountry });
		if (!phone.ok) return { numbers, invalid: part };
		numbers.push(phone.e164);
	}
	return { numbers };
}

/** The output item for one message (attachments are added by the caller as binary data). */
export function messageItem(record: MessageRecord, source: 'webhook' | 'catchUp', envelope?: NotificationEnvelope): IDataObject {
	const attachments = mmsAttachments(record);
	return {
		from: record.from?.phoneNumber ?? null,
		to: (record.to ?? []).map((t) => t.phoneNumber).filter(Boolean)[0] ?? null,
		text: record.subject ?? '',
		messageId: String(record.id),
		conversationId: record.conversation?.id ?? null,
		receivedAt: record.creationTime ?? null,
		direction: record.direction ?? 'Inbound',
		type: attachments.length ? 'MMS' : 'SMS',
		attachments: attachments.map((a) => ({ id: a.id, contentType: a.contentType, fileName: a.fileName ?? null, size: a.size ?? null })),
		source,
		...(envelope ? { eventUuid: envelope.uuid, subscriptionId: envelope.subscriptionId } : {}),
	};
}
