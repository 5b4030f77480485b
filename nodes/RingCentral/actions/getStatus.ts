import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { RingCentralClient } from '../../../lib/ringcentral';
import { inputError } from '../../shared/errors';
import type { Routed } from '../../shared/runner';

export async function getStatus(ctx: IExecuteFunctions, client: RingCentralClient, itemIndex: number): Promise<Routed[]> {
	const raw = ctx.getNodeParameter('messageId', itemIndex, '');
	const messageId = String(raw ?? '').trim();
	if (!/^\d{1,20}$/.test(messageId)) {
		throw inputError(`Message ID "${messageId.slice(0, 40)}" is not a RingCentral message id (digits only).`, 'messageId');
	}
	const record = await client.getMessage(messageId);
	return [
		{
			output: 0,
			json: {
				messageId: String(record.id),
				status: record.messageStatus,
				from: record.from?.phoneNumber,
				to: record.to?.map((t) => t.phoneNumber).join(', '),
				delivered: record.messageStatus === 'Delivered',
				...(record.smsDeliveryTime ? { deliveryTime: record.smsDeliveryTime } : {}),
				...(record.deliveryErrorCode ? { deliveryErrorCode: record.deliveryErrorCode } : {}),
				...(record.smsSendingAttemptsCount !== undefined ? { sendingAttempts: record.smsSendingAttemptsCount } : {}),
				response: record as unknown as IDataObject,
			},
		},
	];
}
