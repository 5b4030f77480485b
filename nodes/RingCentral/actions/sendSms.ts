import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { normalizePhone } from '../../../lib/phone';
import { MAX_SMS_TEXT_UNITS, RingCentralApiError, sendMms, smsSegments, type MessageRecord, type RingCentralClient } from '../../../lib/ringcentral';
import { inputError } from '../../shared/errors';
import { guardedNumber, readGuardPolicy, takeGuardSlots, type GuardOptionValues } from '../../shared/guard';
import { AUTOMATIC_SENDER, resolveSender, senderNumber } from '../../shared/ringcentral/senders';
import { partialFailure, type Routed } from '../../shared/runner';
import { mmsAttachmentsOf, resolveMmsSender } from './mms';
import { refuseIfOptedOut } from './optOut';

interface SendOptions extends GuardOptionValues {
	abuseGuard?: boolean;
	defaultCountry?: string;
	timeoutSeconds?: number;
	maxQueueWaitSeconds?: number;
	waitForDelivery?: boolean;
	deliveryTimeoutSeconds?: number;
	pollIntervalSeconds?: number;
	refuseOptedOut?: boolean;
}

const FINAL_FAILURES = new Set(['DeliveryFailed', 'SendingFailed']);

/** "a, b; c\n d" or ["a", "b"] → ["a", "b", "c", "d"] */
export function splitRecipients(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.flat(2) : [value];
	return parts
		.flatMap((part) => (typeof part === 'number' ? [String(part)] : typeof part === 'string' ? part.split(/[,;\n]+/) : []))
		.map((p) => p.trim())
		.filter((p) => p !== '');
}

/** Why a text cannot be sent (empty, or over RingCentral's 1,000 UTF-16 units), or undefined when it can. */
export function textProblem(text: string): string | undefined {
	if (text.trim() === '') return 'Text is empty: there is nothing to send.';
	if (text.length > MAX_SMS_TEXT_UNITS) {
		return `Text is ${text.length} UTF-16 units long; RingCentral accepts at most ${MAX_SMS_TEXT_UNITS}. Shorten it or split it into several messages.`;
	}
	return undefined;
}

/** Every check that can be made without RingCentral, for all recipients, before sending anything. */
export function validateSend(input: { from: unknown; to: unknown; text: unknown; defaultCountry?: string; allowEmptyText?: boolean }): {
	from: string;
	recipients: string[];
	text: string;
} {
	const text = typeof input.text === 'string' ? input.text : input.text === undefined || input.text === null ? '' : String(input.text);
	// An MMS may be pictures alone.
	const problem = input.allowEmptyText && text.trim() === '' ? undefined : textProblem(text);
	if (problem) throw inputError(problem, 'text');
	const rawRecipients = splitRecipients(input.to);
	if (rawRecipients.length === 0) throw inputError('To is empty: give at least one phone number.', 'to');
	if (rawRecipients.length > 100) throw inputError(`To has ${rawRecipients.length} numbers; at most 100 per item (use the batch operation for more).`, 'to');
	const recipients: string[] = [];
	for (const raw of rawRecipients) {
		const result = normalizePhone(raw, { defaultCountry: input.defaultCountry || undefined });
		if (!result.ok) throw inputError(`To: ${result.reason}. Nothing was sent for this item.`, 'to', { to: result.input });
		if (!recipients.includes(result.e164)) recipients.push(result.e164);
	}
	let from = typeof input.from === 'string' ? input.from.trim() : '';
	if (from === '') from = AUTOMATIC_SENDER;
	if (from !== AUTOMATIC_SENDER) from = senderNumber(from, 'from', input.defaultCountry);
	return { from, recipients, text };
}

async function waitForFinalStatus(
	client: RingCentralClient,
	record: MessageRecord,
	timeoutMs: number,
	intervalMs: number,
): Promise<MessageRecord> {
	let latest = record;
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline && !['Delivered', ...FINAL_FAILURES].includes(String(latest.messageStatus))) {
		await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
		try {
			latest = await client.getMessage(String(record.id), { timeoutMs: Math.max(1000, deadline - Date.now()) });
		} catch (error) {
			if (error instanceof RingCentralApiError && error.status === 429) break;
			throw error;
		}
	}
	return latest;
}

function outputFor(record: MessageRecord, from: string, to: string, text: string): IDataObject {
	const { encoding, segments } = smsSegments(text);
	return {
		messageId: String(record.id),
		status: record.messageStatus ?? 'Queued',
		from: record.from?.phoneNumber ?? from,
		to,
		segments,
		encoding,
		creationTime: record.creationTime,
		conversationId: record.conversation?.id,
		...(record.deliveryErrorCode ? { deliveryErrorCode: record.deliveryErrorCode } : {}),
		response: record as unknown as IDataObject,
	};
}

/** Send SMS for one input item: validate everything, then one message per recipient. */
export async function sendSms(ctx: IExecuteFunctions, client: RingCentralClient, itemIndex: number): Promise<Routed[]> {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as SendOptions;
	const attachments = await mmsAttachmentsOf(ctx, itemIndex);
	const { from: requestedFrom, recipients, text } = validateSend({
		allowEmptyText: attachments.length > 0,
		from: ctx.getNodeParameter('from', itemIndex, AUTOMATIC_SENDER),
		to: ctx.getNodeParameter('to', itemIndex, ''),
		text: ctx.getNodeParameter('text', itemIndex, ''),
		defaultCountry: (options.defaultCountry ?? 'US').trim().toUpperCase(),
	});
	if (options.abuseGuard) {
		// Every recipient passes the country and type checks, then all take their limit slots, or none is sent.
		const defaultCountry = (options.defaultCountry ?? 'US').trim().toUpperCase();
		const policy = readGuardPolicy(options, defaultCountry);
		for (const to of recipients) guardedNumber(to, policy, defaultCountry, 'to', 'nothing was sent for this item');
		await takeGuardSlots(ctx, policy, recipients, 'to', 'nothing was sent for this item');
	}
	// No answer deadline unless the user sets one: a burst is queued for the rate limit, up to the longest queue wait.
	const timeoutMs = Math.round((options.timeoutSeconds ?? 0) * 1000);
	const maxQueueWaitMs = options.maxQueueWaitSeconds === undefined ? undefined : Math.round(options.maxQueueWaitSeconds * 1000);
	const from = attachments.length
		? await resolveMmsSender(client, requestedFrom, timeoutMs)
		: await resolveSender(client, requestedFrom, { feature: 'SmsSender', field: 'from', timeoutMs });

	const results: Routed[] = [];
	for (const to of recipients) {
		try {
			if (options.refuseOptedOut !== false) await refuseIfOptedOut(to);
			let record = attachments.length
				? await sendMms(client, { from, to, text: text.trim() ? text : undefined, attachments }, { timeoutMs, maxQueueWaitMs })
				: await client.sendSms({ from, to, text }, { timeoutMs, maxQueueWaitMs });
			if (options.waitForDelivery) {
				record = await waitForFinalStatus(
					client,
					record,
					Math.round((options.deliveryTimeoutSeconds ?? 60) * 1000),
					Math.round((options.pollIntervalSeconds ?? 2) * 1000),
				);
				if (FINAL_FAILURES.has(String(record.messageStatus))) {
					throw new RingCentralApiError(
						`The SMS to ${to} was accepted but not delivered: ${record.messageStatus}${record.deliveryErrorCode ? ` (${record.deliveryErrorCode})` : ''}.`,
						{ errorCode: record.deliveryErrorCode, body: record },
					);
				}
			}
			const json = outputFor(record, from, to, text);
			if (attachments.length) json.attachments = attachments.map((a) => ({ fileName: a.fileName, contentType: a.contentType, size: a.data.length }));
			results.push({ output: 0, json });
		} catch (error) {
			// One recipient failed: the others of this item are still served (under Stop Workflow this throws).
			results.push(partialFailure(ctx, error, itemIndex, { from, to }));
		}
	}
	return results;
}
