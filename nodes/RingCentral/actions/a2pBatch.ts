import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { normalizePhone } from '../../../lib/phone';
import type { RingCentralClient } from '../../../lib/ringcentral';
import { ItemInputError } from '../errors';
import { splitRecipients, textProblem } from './sendSms';

interface Recipient {
	itemIndex: number;
	to: string;
	text: string;
}

interface BatchResponse {
	id?: string;
	status?: string;
	batchSize?: number;
	processedCount?: number;
	rejected?: Array<{ to?: string[] | string; errorCode?: string; description?: string }>;
	[key: string]: unknown;
}

/**
 * All input items → one A2P batch request. Each recipient becomes one output item, paired with its input
 * item: accepted, or rejected (by our checks before sending, or by RingCentral in `rejected[]`).
 */
export async function sendA2pBatch(this: IExecuteFunctions, client: RingCentralClient): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const accepted: Recipient[] = [];
	const output: INodeExecutionData[] = [];
	const reject = (itemIndex: number, to: string, reason: string) =>
		output.push({ json: { accepted: false, to, reason }, pairedItem: { item: itemIndex } });

	for (let i = 0; i < items.length; i++) {
		const options = this.getNodeParameter('batchOptions', i, {}) as { defaultCountry?: string };
		const text = String(this.getNodeParameter('text', i, '') ?? '');
		const recipients = splitRecipients(this.getNodeParameter('to', i, ''));
		if (recipients.length === 0) reject(i, '', 'To is empty');
		const problem = textProblem(text);
		for (const raw of recipients) {
			if (problem) reject(i, raw, problem);
			else {
				const phone = normalizePhone(raw, { defaultCountry: (options.defaultCountry ?? 'US').toUpperCase() || undefined });
				if (phone.ok) accepted.push({ itemIndex: i, to: phone.e164, text });
				else reject(i, phone.input, phone.reason);
			}
		}
	}
	if (accepted.length === 0) return output;

	const first = this.getNodeParameter('batchOptions', 0, {}) as { timeoutSeconds?: number };
	const timeoutMs = Math.round((first.timeoutSeconds ?? 60) * 1000);
	let from = String(this.getNodeParameter('a2pFrom', 0, 'auto') ?? '').trim();
	if (from === '' || from === 'auto') {
		const numbers = (await client.listPhoneNumbers({ feature: 'A2PSmsSender' }, { timeoutMs })).map((n) => n.phoneNumber);
		if (numbers.length === 0) {
			throw new ItemInputError('This extension has no high-volume (A2PSmsSender) number; choose one explicitly or enable A2P SMS.', 'a2pFrom');
		}
		from = numbers[0];
	} else {
		const phone = normalizePhone(from, {});
		if (!phone.ok) throw new ItemInputError(`From: ${phone.reason}`, 'a2pFrom');
		from = phone.e164;
	}
	const sameText = accepted.every((r) => r.text === accepted[0].text);
	const batch = (await client.sendA2pBatch(
		{
			from,
			...(sameText ? { text: accepted[0].text } : {}),
			messages: accepted.map((r) => (sameText ? { to: [r.to] } : { to: [r.to], text: r.text })),
		},
		{ timeoutMs },
	)) as BatchResponse;

	const refused = new Map<string, string>();
	for (const entry of batch.rejected ?? []) {
		for (const to of Array.isArray(entry.to) ? entry.to : [entry.to ?? '']) {
			refused.set(to, [entry.errorCode, entry.description].filter(Boolean).join(': ') || 'rejected by RingCentral');
		}
	}
	for (const recipient of accepted) {
		const reason = refused.get(recipient.to);
		output.push({
			json: {
				accepted: reason === undefined,
				to: recipient.to,
				...(reason !== undefined ? { reason } : {}),
				batchId: batch.id,
				batchStatus: batch.status,
				from,
			},
			pairedItem: { item: recipient.itemIndex },
		});
	}
	return output;
}

export async function getA2pBatch(this: IExecuteFunctions, client: RingCentralClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const batchId = String(this.getNodeParameter('batchId', itemIndex, '') ?? '').trim();
	if (!/^[\w-]{1,100}$/.test(batchId)) throw new ItemInputError(`Batch ID "${batchId.slice(0, 40)}" is not valid.`, 'batchId');
	const batch = await client.getA2pBatch(batchId);
	return [{ json: batch as IDataObject, pairedItem: { item: itemIndex } }];
}
