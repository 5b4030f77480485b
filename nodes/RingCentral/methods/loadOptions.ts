import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { RingCentralApiError } from '../../../lib/ringcentral';
import { clientFor } from '../transport';

export const AUTOMATIC_SENDER = 'auto';

/** The From dropdown: the extension's SMS-enabled numbers, plus "automatic" for templates. */
export async function getSmsSenders(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const client = await clientFor(this);
		const numbers = await client.listPhoneNumbers({ feature: 'SmsSender' }, { timeoutMs: 15000 });
		return [
			{
				name: 'Automatic (First SMS Number of the Extension)',
				value: AUTOMATIC_SENDER,
				description: 'Uses the first number with the SmsSender feature',
			},
			...numbers.map((n) => ({
				name: `${n.phoneNumber}${n.label ? ` — ${n.label}` : ''}${n.usageType ? ` (${n.usageType})` : ''}`,
				value: n.phoneNumber,
			})),
		];
	} catch (error) {
		throw new NodeOperationError(this.getNode(), error instanceof RingCentralApiError ? error.message : 'Could not load the SMS numbers');
	}
}

/** High-volume senders: numbers with the A2PSmsSender feature. */
export async function getA2pSenders(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		const client = await clientFor(this);
		const numbers = await client.listPhoneNumbers({ feature: 'A2PSmsSender' }, { timeoutMs: 15000 });
		return [
			{ name: 'Automatic (First High-Volume Number)', value: AUTOMATIC_SENDER },
			...numbers.map((n) => ({ name: `${n.phoneNumber}${n.usageType ? ` (${n.usageType})` : ''}`, value: n.phoneNumber })),
		];
	} catch (error) {
		throw new NodeOperationError(this.getNode(), error instanceof RingCentralApiError ? error.message : 'Could not load the high-volume numbers');
	}
}
