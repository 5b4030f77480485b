import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import type { RingCentralClient } from '../../../lib/ringcentral';

export async function listPhoneNumbers(this: IExecuteFunctions, client: RingCentralClient, itemIndex: number): Promise<INodeExecutionData[]> {
	const feature = this.getNodeParameter('feature', itemIndex, '') as string;
	const numbers = await client.listPhoneNumbers({ feature: feature || undefined });
	return numbers.map((n) => ({ json: { ...n } as IDataObject, pairedItem: { item: itemIndex } }));
}
