import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { RingCentralClient } from '../../../lib/ringcentral';
import type { Routed } from '../../shared/runner';

export async function listPhoneNumbers(ctx: IExecuteFunctions, client: RingCentralClient, itemIndex: number): Promise<Routed[]> {
	const feature = ctx.getNodeParameter('feature', itemIndex, '') as string;
	const numbers = await client.listPhoneNumbers({ feature: feature || undefined });
	return numbers.map((n) => ({ output: 0, json: { ...n } as IDataObject }));
}
