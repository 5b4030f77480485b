import type { INodeProperties } from 'n8n-workflow';
import { guardOptionFields } from '../../shared/guard';

const showFor = (operation: string[]) => ({ show: { resource: ['sms'], operation } });

export const smsOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['sms'] } },
	options: [
		{ name: 'Send', value: 'send', description: 'Send an SMS to one or more recipients (one message each)', action: 'Send an SMS' },
		{ name: 'Get Status', value: 'getStatus', description: 'Read the delivery status of a sent SMS', action: 'Get the status of an SMS' },
	],
	default: 'send',
};

export const smsFields: INodeProperties[] = [
	{
		displayName: 'From Name or ID',
		name: 'from',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSmsSenders' },
		default: 'auto',
		required: true,
		displayOptions: showFor(['send']),
		hint: "Only the SMS-enabled numbers of the JWT's own extension can send. Automatic picks the first one.",
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+16505550123, +14155550100',
		displayOptions: showFor(['send']),
		description:
			'One or more recipients, separated by commas, semicolons or new lines (or an array from an expression). Each recipient gets a message of their own. Numbers are converted to E.164; an invalid number fails the item and nothing is sent.',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: showFor(['send']),
		description: 'Up to 1,000 characters (UTF-16 code units; an emoji counts 2). Longer messages are split into segments by the carrier.',
	},
	{
		displayName: 'Attachments (Binary Properties)',
		name: 'attachments',
		type: 'string',
		default: '',
		placeholder: 'data, attachment_0',
		displayOptions: showFor(['send']),
		description: 'To send an MMS: the names of binary properties of the input item, comma-separated. At most 10 files and 1.5 MB in total; the From number needs the MmsSender feature (toll-free numbers cannot send MMS). Empty: a plain SMS.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(['send']),
		options: [
			{
				displayName: 'Abuse Guard',
				name: 'abuseGuard',
				type: 'boolean',
				default: false,
				description:
					'Whether to check every recipient with the abuse guard the SMS Gateway Trigger and OTP Generate use (allowed countries, refused number types, per-number limits) before anything is sent. Turn it on when the numbers come from outside, e.g. a form or a webhook.',
			},
			// Shown with Abuse Guard on: Allowed Countries, Destination Limits, Refused Number Types.
			...guardOptionFields({ abuseGuard: [true] }),
			{
				displayName: 'Default Country',
				name: 'defaultCountry',
				type: 'string',
				default: 'US',
				placeholder: 'US',
				description:
					'Two-letter country code used for numbers written without a country code, such as 6505550123 (US) or 07911 123456 (GB). Leave empty to accept only international numbers.',
			},
			{
				displayName: 'Delivery Timeout (Seconds)',
				name: 'deliveryTimeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 600 },
				default: 60,
				displayOptions: { show: { waitForDelivery: [true] } },
				description: 'How long to wait for a final status. When it runs out the item succeeds with the last status seen.',
			},
			{
				displayName: 'Longest Queue Wait (Seconds)',
				name: 'maxQueueWaitSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 3600 },
				default: 600,
				description:
					"How long a message may wait for the RingCentral user's rate limit (about 40 SMS a minute; the limit RingCentral states is used). A burst is queued and paced, never refused by RingCentral. A message that would wait longer fails at once with \"Not sent\", saying how deep the queue is.",
			},
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollIntervalSeconds',
				type: 'number',
				typeOptions: { minValue: 0.2, maxValue: 60 },
				default: 2,
				displayOptions: { show: { waitForDelivery: [true] } },
				description: 'Status reads count against the Light rate-limit group (50 a minute)',
			},
			{
				displayName: 'Refuse Opted-Out Recipients',
				name: 'refuseOptedOut',
				type: 'boolean',
				default: true,
				description:
					"Whether to refuse recipients on the opt-out list (they texted STOP; see the Opt-Out resource). A refused recipient fails with reason opted_out and gets nothing. Turn it off only for the one confirmation message carriers expect after a STOP.",
			},
			{
				displayName: 'Time Budget (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 3600 },
				default: 0,
				description:
					'Answer deadline for each message, queue included, for callers that hang up (the gateway templates use 15). A message that cannot leave in time fails with "Not sent"; one RingCentral has not answered in time fails with "outcome unknown" and is not re-sent. 0 = no deadline beyond the queue wait.',
			},
			{
				displayName: 'Wait for Delivery',
				name: 'waitForDelivery',
				type: 'boolean',
				default: false,
				description:
					'Whether to poll the message status until it is Delivered or failed. A failed delivery fails the item.',
			},
		],
	},
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: showFor(['getStatus']),
		description: 'The `messageId` returned by Send',
	},
];
