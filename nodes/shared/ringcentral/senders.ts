/**
 * The one sender resolution of the package: "Automatic" is the extension's first number with the
 * feature (SmsSender for SMS and OTP codes, A2PSmsSender for batches); anything else must be one phone
 * number. Used by the From dropdowns, RingCentral Send, the A2P batch and OTP Generate alike.
 */
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { normalizePhone } from '../../../lib/phone';
import { RingCentralApiError, type RingCentralClient } from '../../../lib/ringcentral';
import { ItemError, inputError } from '../errors';
import { clientFor } from './client';

export const AUTOMATIC_SENDER = 'auto';

export type SenderFeature = 'SmsSender' | 'A2PSmsSender';

const NO_NUMBER: Record<SenderFeature, string> = {
	SmsSender:
		'This RingCentral extension has no SMS-enabled phone number (feature SmsSender). Assign one in the RingCentral admin portal, or use the JWT of a user that has one.',
	A2PSmsSender: 'This extension has no high-volume (A2PSmsSender) number; choose one explicitly or enable A2P SMS.',
};

/** `from` as typed (a number, "auto" or empty) → the E.164 number to send from. */
export async function resolveSender(
	client: RingCentralClient,
	from: unknown,
	o: { feature: SenderFeature; field: string; timeoutMs: number },
): Promise<string> {
	const wanted = typeof from === 'string' ? from.trim() : from === undefined || from === null ? '' : String(from).trim();
	if (wanted === '' || wanted === AUTOMATIC_SENDER) {
		// SMS senders come from the transport's short-lived cache: one list per credential, not one per message.
		const numbers =
			o.feature === 'SmsSender'
				? await client.getSmsSenders({ timeoutMs: o.timeoutMs })
				: (await client.listPhoneNumbers({ feature: o.feature }, { timeoutMs: o.timeoutMs })).map((n) => n.phoneNumber);
		if (numbers.length === 0) throw new ItemError(NO_NUMBER[o.feature], { reason: 'misconfigured', field: o.field });
		return numbers[0];
	}
	return senderNumber(wanted, o.field);
}

/**
 * A From typed by hand, as one number. A national spelling needs the item's default country; RingCentral
 * refuses any number that is not the extension's own anyway (MSG-245), so a From can never go astray.
 */
export function senderNumber(wanted: string, field: string, defaultCountry?: string): string {
	const phone = normalizePhone(wanted, { defaultCountry: defaultCountry || undefined });
	if (!phone.ok) throw inputError(`From: ${phone.reason}.`, field, { from: phone.input });
	return phone.e164;
}

/** A sender dropdown: "automatic" first (what templates use), then the extension's numbers with the feature. */
async function senderOptions(
	context: ILoadOptionsFunctions,
	feature: SenderFeature,
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
	return await senderOptions(
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
	return await senderOptions(this, 'A2PSmsSender', { name: 'Automatic (First High-Volume Number)', value: AUTOMATIC_SENDER }, 'high-volume numbers');
}
