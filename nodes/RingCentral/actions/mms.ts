/**
 * MMS for SMS → Send: the item's binary properties named in *Attachments* go out as one MMS per recipient.
 * Every limit is checked before anything is sent: at most 10 attachments and 1.5 MB in total, and a From
 * number with the MmsSender feature that is not toll-free (toll-free numbers cannot send MMS).
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { MMS_MAX_ATTACHMENTS, MMS_MAX_TOTAL_BYTES, isTollFree, mmsAttachmentProblem, type MmsAttachment, type RingCentralClient } from '../../../lib/ringcentral';
import { ItemError, inputError } from '../../shared/errors';
import { AUTOMATIC_SENDER } from '../../shared/ringcentral/senders';

/** "data, attachment_0" → ["data", "attachment_0"] */
export function attachmentNames(raw: unknown): string[] {
	if (Array.isArray(raw)) return raw.map(String).map((s) => s.trim()).filter(Boolean);
	return String(raw ?? '')
		.split(/[,;\n]+/)
		.map((s) => s.trim())
		.filter(Boolean);
}

/** The attachments of one item, read from its binary data; [] when the field is empty (a plain SMS). */
export async function mmsAttachmentsOf(ctx: IExecuteFunctions, itemIndex: number): Promise<MmsAttachment[]> {
	const names = [...new Set(attachmentNames(ctx.getNodeParameter('attachments', itemIndex, '')))];
	if (names.length === 0) return [];
	if (names.length > MMS_MAX_ATTACHMENTS) {
		throw inputError(`Attachments: ${names.length} binary properties; an MMS carries at most ${MMS_MAX_ATTACHMENTS}. Nothing was sent.`, 'attachments');
	}
	const binary = ctx.getInputData()[itemIndex]?.binary ?? {};
	const attachments: MmsAttachment[] = [];
	let total = 0;
	for (const name of names) {
		const meta = binary[name];
		if (!meta) {
			const present = Object.keys(binary);
			throw inputError(
				`Attachments: the input item has no binary property "${name}" (${present.length ? `it has: ${present.join(', ')}` : 'it has no binary data'}). Nothing was sent.`,
				'attachments',
			);
		}
		const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, name);
		total += data.length;
		if (total > MMS_MAX_TOTAL_BYTES) {
			throw inputError(
				`Attachments: the files total more than 1.5 MB (${MMS_MAX_TOTAL_BYTES.toLocaleString('en-US')} bytes), the most one MMS carries. Send smaller or fewer files; nothing was sent.`,
				'attachments',
			);
		}
		attachments.push({ data, contentType: meta.mimeType || 'application/octet-stream', fileName: meta.fileName || name });
	}
	const problem = mmsAttachmentProblem(attachments);
	if (problem) throw inputError(`Attachments: ${problem} Nothing was sent.`, 'attachments');
	return attachments;
}

/**
 * The From number for an MMS: "automatic" is the first MmsSender number that is not toll-free; a number
 * typed by hand must be one of them. The error lists the numbers that would work.
 */
export async function resolveMmsSender(client: RingCentralClient, requested: string, timeoutMs: number): Promise<string> {
	const numbers = await client.listPhoneNumbers({ feature: 'MmsSender' }, { timeoutMs });
	const usable = numbers.filter((n) => !isTollFree(n)).map((n) => n.phoneNumber);
	const list = usable.length ? `This extension's MMS numbers: ${usable.join(', ')}.` : 'This extension has no number that can send MMS (feature MmsSender, not toll-free).';
	if (requested === AUTOMATIC_SENDER || requested === '') {
		if (usable.length === 0) throw new ItemError(`Cannot send an MMS: ${list} Nothing was sent.`, { reason: 'misconfigured', field: 'from' });
		return usable[0];
	}
	if (isTollFree(requested)) {
		throw inputError(`From: ${requested} is a toll-free number, and toll-free numbers cannot send MMS. ${list} Nothing was sent.`, 'from', { from: requested });
	}
	if (!usable.includes(requested)) {
		throw inputError(`From: ${requested} cannot send MMS (it lacks the MmsSender feature or is not this extension's). ${list} Nothing was sent.`, 'from', { from: requested });
	}
	return requested;
}
