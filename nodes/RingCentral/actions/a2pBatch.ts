import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { normalizePhone } from '../../../lib/phone';
import type { RingCentralClient } from '../../../lib/ringcentral';
import { inputError, type FailureReason } from '../../shared/errors';
import { resolveSender } from '../../shared/ringcentral/senders';
import type { Routed } from '../../shared/runner';
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
export async function sendA2pBatch(ctx: IExecuteFunctions, client: RingCentralClient): Promise<Routed[]> {
	const items = ctx.getInputData();
	const accepted: Recipient[] = [];
	const output: Routed[] = [];
	// A recipient refused before or by RingCentral: `error` says why, `reason` is the stable code.
	const reject = (itemIndex: number, to: string, error: string, reason: FailureReason = 'invalid_input') =>
		output.push({ output: 0, json: { accepted: false, to, reason, error }, pairedItem: { item: itemIndex } });

	for (let i = 0; i < items.length; i++) {
		const options = ctx.getNodeParameter('batchOptions', i, {}) as { defaultCountry?: string };
		const text = String(ctx.getNodeParameter('text', i, '') ?? '');
		const recipients = splitRecipients(ctx.getNodeParameter('to', i, ''));
		if (recipients.length === 0) reject(i, '', 'To is empty');
		const problem = textProblem(text);
		for (const raw of recipients) {
			if (problem) reject(i, raw, problem);
			else {
				const phone = normalizePhone(raw, { defaultCountry: (options.defaultCountry ?? 'US').toUpperCase() || undefined });
				if (phone.ok) accepted.push({ itemIndex: i, to: phone.e164, text });
				else reject(i, phone.input, phone.reason, 'invalid_phone');
			}
		}
	}
	if (accepted.length === 0) return output;

	const first = ctx.getNodeParameter('batchOptions', 0, {}) as { timeoutSeconds?: number };
	const timeoutMs = Math.round((first.timeoutSeconds ?? 60) * 1000);
	const from = await resolveSender(client, ctx.getNodeParameter('a2pFrom', 0, 'auto'), { feature: 'A2PSmsSender', field: 'a2pFrom', timeoutMs });
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
			output: 0,
			json: {
				accepted: reason === undefined,
				to: recipient.to,
				...(reason !== undefined ? { reason: 'ringcentral_refused', error: reason } : {}),
				batchId: batch.id,
				batchStatus: batch.status,
				from,
			},
			pairedItem: { item: recipient.itemIndex },
		});
	}
	return output;
}

export async function getA2pBatch(ctx: IExecuteFunctions, client: RingCentralClient, itemIndex: number): Promise<Routed[]> {
	const batchId = String(ctx.getNodeParameter('batchId', itemIndex, '') ?? '').trim();
	if (!/^[\w-]{1,100}$/.test(batchId)) throw inputError(`Batch ID "${batchId.slice(0, 40)}" is not valid.`, 'batchId');
	const batch = await client.getA2pBatch(batchId);
	return [{ output: 0, json: batch as IDataObject }];
}
