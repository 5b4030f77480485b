import type { INodeProperties } from 'n8n-workflow';

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			'Publishing the workflow creates a RingCentral webhook subscription for this extension; unpublishing deletes it. The app needs the ReadMessages permission.',
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: [
			{ name: 'Inbound SMS', value: 'inboundSms', description: 'A text message to one of the extension\'s numbers' },
			{ name: 'Inbound MMS', value: 'inboundMms', description: 'A message with pictures or files; they arrive as binary data' },
		],
		default: ['inboundSms', 'inboundMms'],
		required: true,
		description: 'RingCentral stores an MMS as an SMS with attachments, so one subscription carries both',
	},
	{
		displayName: 'Receiving Numbers',
		name: 'receivingNumbers',
		type: 'string',
		default: '',
		placeholder: '+16505550100, +16505550101',
		description: 'Only messages to these of the extension\'s numbers (comma-separated). Empty: every number.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Catch Up After Downtime',
				name: 'catchUp',
				type: 'boolean',
				default: true,
				description:
					'Whether to read the message store after n8n was stopped or the subscription was replaced, and emit the messages that arrived meanwhile (each once, oldest first)',
			},
			{
				displayName: 'Catch-Up Window (Hours)',
				name: 'catchUpHours',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 168 },
				default: 24,
				description: 'How far back the catch-up reads at most',
			},
			{
				displayName: 'Download Attachments',
				name: 'downloadAttachments',
				type: 'boolean',
				default: true,
				description: 'Whether to fetch MMS attachments as binary data (attachment_0, attachment_1, …)',
			},
			{
				displayName: 'Subscription Lifetime (Seconds)',
				name: 'lifetimeSeconds',
				type: 'number',
				typeOptions: { minValue: 60, maxValue: 315360000 },
				default: 604800,
				description: 'RingCentral ends a subscription after this; the trigger renews it when half of it is left',
			},
		],
	},
];
