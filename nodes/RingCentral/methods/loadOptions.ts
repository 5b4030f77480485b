import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { RingCentralApiError } from '../../../lib/ringcentral';
import { clientFor } from '../transport';

export const AUTOMATIC_SENDER = 'auto';

/** A sender dropdown: "automatic" first (what templates use), then the extension's numbers with the feature. */
async function senderOptions(
	context: ILoadOptionsFunctions,
	feature: 'SmsSender' | 'A2PSmsSender',
	automatic: INodePropertyOptions,
	what: string,
): Promise<INodePropertyOptions[]> {
	try {
		const client = await clientFor(context);
		const numbers = await client.listPhoneNumbers({ feature }, { timeoutMs: 15000 });
		return [
			automatic,
			...numbers.map((n) => ({
				name: `${n.phoneNumber}${n.label ? ` — ${n.label}` : ''}${n.usageType ? ` (${n.usageType})` : ''}`,
				value: n.phoneNumber,
			})),
		];
	} catch (error) {
		throw new NodeOperationError(context.getNode(), error instanceof RingCentralApiError ? error.message : `Could not load the ${what}`);
	}
}

/** The From dropdown: the extension's SMS-enabled numbers. */
export async function getSmsSenders(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return senderOptions(
		this,
		'SmsSender',
		{
			name: 'Automatic (First SMS Number of the Extension)',
			value: AUTOMATIC_SENDER,
			description: 'Uses the first number with the SmsSender feature',
		},
		'SMS numbers',
	);
}

/** High-volume senders: numbers with the A2PSmsSender feature. */
export async function getA2pSenders(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return senderOptions(this, 'A2PSmsSender', { name: 'Automatic (First High-Volume Number)', value: AUTOMATIC_SENDER }, 'high-volume numbers');
}
