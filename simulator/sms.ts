/** Send SMS (Medium group) and read one message's status from the message store (Light group). */
import { createHash } from 'node:crypto';
import { EXTENSION_PATH, requirePermission } from './account';
import { apiError, invalidParameter, parseJson, RAW_NUMBER, type Reply, type RequestCtx } from './http';
import type { Session } from './sessions';
import { overallStatus, recipientStatus, type SimState } from './state';
import type { MessageStatus, SimUser, StoredMessage } from './types';

export const E164 = /^\+[1-9]\d{6,14}$/;
const MAX_RECIPIENTS = 10;

const digits = (value: string) => value.replace(/\D/g, '');

/** RingCentral keeps one conversation per set of participants; its id is an int64 (19 digits here). */
function conversationIdFor(from: string, to: string[]): string {
	const hash = createHash('sha256').update([from, ...[...to].sort()].join('|')).digest();
	return (1_000_000_000_000_000_000n + (hash.readBigUInt64BE(0) % 8_000_000_000_000_000_000n)).toString();
}

/** Validates the sender against the extension's numbers: not ours → MSG-245, ours but no SmsSender → MSG-367. */
export function checkSender(user: SimUser, raw: unknown, feature: 'SmsSender' | 'A2PSmsSender'): string {
	const wanted = typeof raw === 'string' ? digits(raw) : '';
	const number = wanted ? user.phoneNumbers.find((n) => digits(n.phoneNumber) === wanted) : undefined;
	if (!number) {
		throw invalidParameter('MSG-245', "Phone number doesn't belong to extension", 'from', typeof raw === 'string' ? raw : undefined);
	}
	if (!number.features.includes(feature)) {
		throw invalidParameter('MSG-367', `Phone number is not enabled for ${feature === 'SmsSender' ? 'SMS' : 'A2P SMS'}`, 'from', number.phoneNumber);
	}
	return number.phoneNumber;
}

/** Checks an SMS text; the error for an over-long text is unconfirmed, MSG-338 is the reference's best candidate. */
export function checkText(state: SimState, text: unknown, parameterName = 'text'): string {
	if (typeof text !== 'string' || text.length === 0) {
		throw invalidParameter('CMN-101', `Parameter [${parameterName}] value is invalid.`, parameterName);
	}
	if (text.length > state.config.maxTextLength) {
		throw invalidParameter('MSG-338', `Message size limit exceeded: at most ${state.config.maxTextLength} characters`, parameterName);
	}
	return text;
}

/** Stores an accepted message with its status timeline fixed now. */
export function storeMessage(
	state: SimState,
	session: Session,
	from: string,
	to: string[],
	text: string,
	batchId?: string,
): StoredMessage {
	const now = Date.now();
	const { sentMs, deliveredMs } = state.config.statusDelays;
	const sentAt = sentMs >= 0 ? now + sentMs : -1;
	const failures: StoredMessage['failures'] = {};
	for (const recipient of to) {
		const failure = state.config.failingNumbers[recipient];
		if (failure) failures[recipient] = { ...failure };
	}
	const message: StoredMessage = {
		id: state.newMessageId(),
		conversationId: conversationIdFor(from, to),
		clientId: session.clientId,
		extensionId: session.extensionId,
		from,
		to,
		text,
		createdAt: now,
		sentAt,
		deliveredAt: sentAt >= 0 && deliveredMs >= 0 ? sentAt + deliveredMs : -1,
		failures,
		batchId,
	};
	state.addMessage(message);
	state.stats.smsAccepted++;
	return message;
}

/** The message record as RingCentral returns it; `forceStatus` makes the send response say Queued. */
export function messageRecord(state: SimState, ctx: RequestCtx, message: StoredMessage, forceStatus?: MessageStatus): Record<string, unknown> {
	const now = Date.now();
	const base = `${ctx.baseUrl}/restapi/v1.0/account/${state.seed.accountId}/extension/${message.extensionId}`;
	const status = forceStatus ?? overallStatus(message, now);
	const iso = (t: number) => new Date(t).toISOString();
	let modified = message.createdAt;
	if (!forceStatus) {
		if (message.sentAt >= 0 && now >= message.sentAt) modified = message.sentAt;
		if (message.deliveredAt >= 0 && now >= message.deliveredAt) modified = message.deliveredAt;
	}
	const record: Record<string, unknown> = {
		uri: `${base}/message-store/${message.id}`,
		id: message.id,
		to: message.to.map((phoneNumber) => ({
			phoneNumber,
			location: 'United States',
			messageStatus: forceStatus ?? recipientStatus(message, phoneNumber, now),
		})),
		from: { phoneNumber: message.from, name: state.user(message.extensionId)?.name, location: 'United States' },
		type: 'SMS',
		creationTime: iso(message.createdAt),
		readStatus: 'Read',
		priority: 'Normal',
		attachments: [{ id: message.id, uri: `${base}/message-store/${message.id}/content/${message.id}`, type: 'Text', contentType: 'text/plain' }],
		direction: 'Outbound',
		availability: 'Alive',
		subject: message.text,
		messageStatus: status,
		conversationId: `${RAW_NUMBER}${message.conversationId}`,
		conversation: { id: message.conversationId, uri: `${ctx.baseUrl}/restapi/v1.0/conversation/${message.conversationId}` },
		lastModifiedTime: iso(modified),
	};
	if (status !== 'Queued') record.smsSendingAttemptsCount = 1;
	if (status === 'Delivered') record.smsDeliveryTime = iso(message.deliveredAt);
	if (status === 'DeliveryFailed' || status === 'SendingFailed') {
		const failed = message.to.find((r) => message.failures[r]);
		record.deliveryErrorCode = (failed && message.failures[failed].errorCode) || (status === 'SendingFailed' ? 'SMS-RC-500' : 'SMS-CAR-400');
	}
	return record;
}

export function handleSendSms(state: SimState, ctx: RequestCtx, session: Session, user: SimUser): Reply {
	try {
		requirePermission(session, 'SMS');
		const body = parseJson(ctx.rawBody);
		const fromField = body.from as { phoneNumber?: unknown } | undefined;
		const from = checkSender(user, fromField && typeof fromField === 'object' ? fromField.phoneNumber : undefined, 'SmsSender');
		const toField = body.to;
		if (!Array.isArray(toField) || toField.length === 0) throw invalidParameter('CMN-101', 'Parameter [to] value is invalid.', 'to');
		const to = toField.map((entry: unknown) => {
			const phoneNumber = entry && typeof entry === 'object' ? (entry as { phoneNumber?: unknown }).phoneNumber : undefined;
			if (typeof phoneNumber !== 'string' || !E164.test(phoneNumber)) {
				throw invalidParameter('CMN-101', 'Parameter [to] value is invalid.', 'to', typeof phoneNumber === 'string' ? phoneNumber : undefined);
			}
			return phoneNumber;
		});
		if (to.length > MAX_RECIPIENTS) throw invalidParameter('MSG-381', `Recipients limit exceeded: at most ${MAX_RECIPIENTS} recipients`, 'to');
		const text = checkText(state, body.text);
		const message = storeMessage(state, session, from, [...new Set(to)], text);
		return { status: 200, body: messageRecord(state, ctx, message, 'Queued') };
	} catch (error) {
		state.stats.smsRejected++;
		throw error;
	}
}

export function handleGetMessage(state: SimState, ctx: RequestCtx, session: Session, id: string): Reply {
	requirePermission(session, 'ReadMessages');
	const message = /^\d{1,16}$/.test(id) ? state.findMessage(Number(id)) : undefined;
	if (!message || message.extensionId !== session.extensionId || message.batchId) throw apiError(404, 'CMN-102', 'Resource for parameter [messageId] is not found', { parameterName: 'messageId' });
	return { status: 200, body: messageRecord(state, ctx, message) };
}

export const SMS_PATH = `${EXTENSION_PATH}/sms`;
