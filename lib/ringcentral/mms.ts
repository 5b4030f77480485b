/**
 * Send MMS (`POST …/extension/~/mms`, Medium group) as multipart/form-data with the JSON part first, then
 * one part per attachment. The limits are checked before anything leaves n8n.
 */
import { randomBytes } from 'node:crypto';
import type { RingCentralClient } from './client';
import { RingCentralApiError } from './errors';
import { messageRecordSchema, describeIssues } from './schemas';
import type { CallOptions, MessageRecord, PhoneNumberRecord } from './types';

/** 1.5 MB in total, read the strict way (1,500,000 bytes), and at most 10 attachments per message. */
export const MMS_MAX_TOTAL_BYTES = 1_500_000;
export const MMS_MAX_ATTACHMENTS = 10;

export interface MmsAttachment {
	data: Buffer;
	contentType: string;
	fileName: string;
}

export interface SendMmsRequest {
	from: string;
	to: string;
	text?: string;
	country?: string;
	attachments: MmsAttachment[];
}

/** NANP toll-free area codes: such numbers cannot send MMS even when listed. */
const TOLL_FREE = /^\+1(800|833|844|855|866|877|888)\d{7}$/;

export function isTollFree(number: PhoneNumberRecord | string): boolean {
	if (typeof number === 'string') return TOLL_FREE.test(number);
	return number.paymentType === 'TollFree' || number.type === 'TollFree' || TOLL_FREE.test(number.phoneNumber);
}

/** Why these attachments cannot go in one MMS, or undefined. Sizes in words a person can act on. */
export function mmsAttachmentProblem(attachments: MmsAttachment[]): string | undefined {
	if (attachments.length === 0) return 'An MMS needs at least one attachment.';
	if (attachments.length > MMS_MAX_ATTACHMENTS) {
		return `${attachments.length} attachments: an MMS carries at most ${MMS_MAX_ATTACHMENTS}.`;
	}
	const total = attachments.reduce((sum, a) => sum + a.data.length, 0);
	if (total > MMS_MAX_TOTAL_BYTES) {
		return `The attachments total ${(total / 1_000_000).toFixed(2)} MB; an MMS carries at most 1.5 MB (${MMS_MAX_TOTAL_BYTES.toLocaleString('en-US')} bytes). Send smaller or fewer files.`;
	}
	const empty = attachments.find((a) => a.data.length === 0);
	if (empty) return `The attachment "${empty.fileName}" is empty.`;
	return undefined;
}

/** A name safe inside a quoted header parameter. */
function safeFileName(name: string): string {
	return name.replace(/["\\\r\n]/g, '_').slice(0, 200) || 'attachment';
}

/** multipart/form-data: the JSON request first (as RingCentral requires), then one part per file. */
export function multipartBody(json: unknown, attachments: MmsAttachment[]): { body: Buffer; contentType: string } {
	const boundary = `----n8n-ringcentral-${randomBytes(12).toString('hex')}`;
	const parts: Buffer[] = [
		Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="json"; filename="request.json"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(json)}\r\n`),
	];
	for (const file of attachments) {
		const type = /^[\w.+-]+\/[\w.+-]+$/.test(file.contentType) ? file.contentType : 'application/octet-stream';
		parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="${safeFileName(file.fileName)}"\r\nContent-Type: ${type}\r\n\r\n`));
		parts.push(file.data, Buffer.from('\r\n'));
	}
	parts.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export async function sendMms(client: RingCentralClient, request: SendMmsRequest, options: CallOptions = {}): Promise<MessageRecord> {
	const problem = mmsAttachmentProblem(request.attachments);
	if (problem) throw new RingCentralApiError(`${problem} Nothing was sent.`);
	const json: Record<string, unknown> = { from: { phoneNumber: request.from }, to: [{ phoneNumber: request.to }] };
	if (request.text) json.text = request.text;
	if (request.country) json.country = { isoCode: request.country };
	const { body, contentType } = multipartBody(json, request.attachments);
	const answer = await client.session.call<unknown>({
		method: 'POST',
		path: '/restapi/v1.0/account/~/extension/~/mms',
		body,
		headers: { 'Content-Type': contentType },
		group: 'medium',
		idempotent: false,
		// RingCentral may echo the text in an error (`parameterValue`); it can hold a one-time code.
		sensitive: request.text ? [request.text] : [],
		...options,
	});
	const record = messageRecordSchema.safeParse(answer);
	if (!record.success) {
		throw new RingCentralApiError(
			`RingCentral answered the Send MMS request without a message record (${describeIssues(record.error)}); the outcome is unknown and it was not re-sent.`,
			{ outcomeUnknown: true, status: 200 },
		);
	}
	return record.data as MessageRecord;
}
