/** Opt-Out → Add / Check / Remove: the list SMS → Send consults before texting anyone. */
import type { IExecuteFunctions } from 'n8n-workflow';
import { normalizePhone } from '../../../lib/phone';
import { optOutStore, type OptOutRecord } from '../../../lib/optout/store';
import { ItemError, inputError } from '../../shared/errors';
import type { Routed } from '../../shared/runner';

function numberOf(ctx: IExecuteFunctions, itemIndex: number, field: string): string {
	const phone = normalizePhone(ctx.getNodeParameter(field, itemIndex, ''), { defaultCountry: 'US' });
	if (!phone.ok) throw inputError(`Phone Number: ${phone.reason}.`, field, { number: phone.input });
	return phone.e164;
}

/** The store failing must stop the item, never let a send through unchecked. */
async function withStore<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (error instanceof ItemError) throw error;
		throw new ItemError(`The opt-out list could not be reached: ${(error as Error).message}`, { reason: 'store_unavailable' });
	}
}

export async function addOptOut(ctx: IExecuteFunctions, _client: unknown, itemIndex: number): Promise<Routed[]> {
	const number = numberOf(ctx, itemIndex, 'optOutNumber');
	const keyword = String(ctx.getNodeParameter('keyword', itemIndex, '') ?? '').trim().slice(0, 40);
	const receivedOn = String(ctx.getNodeParameter('receivedOn', itemIndex, '') ?? '').trim().slice(0, 20);
	const record: OptOutRecord = { number, at: new Date().toISOString(), ...(keyword ? { keyword } : {}), ...(receivedOn ? { receivedOn } : {}) };
	await withStore(() => optOutStore().add(record));
	return [{ output: 0, json: { ...record, optedOut: true } }];
}

export async function checkOptOut(ctx: IExecuteFunctions, _client: unknown, itemIndex: number): Promise<Routed[]> {
	const number = numberOf(ctx, itemIndex, 'optOutNumber');
	const record = await withStore(() => optOutStore().get(number));
	return [{ output: 0, json: record ? { ...record, optedOut: true } : { number, optedOut: false } }];
}

export async function removeOptOut(ctx: IExecuteFunctions, _client: unknown, itemIndex: number): Promise<Routed[]> {
	const number = numberOf(ctx, itemIndex, 'optOutNumber');
	const wasOptedOut = await withStore(() => optOutStore().remove(number));
	return [{ output: 0, json: { number, optedOut: false, wasOptedOut } }];
}

/** For Send: refuses a recipient on the list, in words, with the stable reason `opted_out`. */
export async function refuseIfOptedOut(to: string): Promise<void> {
	const record = await withStore(() => optOutStore().get(to));
	if (!record) return;
	throw new ItemError(
		`${to} opted out${record.keyword ? ` (texted "${record.keyword}")` : ''} on ${record.at}; nothing was sent. They opt back in by texting START, or remove them with Opt-Out → Remove.`,
		{ reason: 'opted_out', field: 'to', details: { optedOutAt: record.at } },
	);
}
