import type { INodeProperties } from 'n8n-workflow';

const showFor = (operation: string[]) => ({ show: { resource: ['a2pBatch'], operation } });

export const a2pBatchOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['a2pBatch'] } },
	options: [
		{
			name: 'Send',
			value: 'send',
			description: 'Send every input item as one high-volume (A2P) batch request',
			action: 'Send a high volume SMS batch',
		},
		{ name: 'Get', value: 'get', description: 'Read the status of a batch', action: 'Get a high volume SMS batch' },
	],
	default: 'send',
};

export const a2pBatchFields: INodeProperties[] = [
	{
		displayName: 'From Name or ID',
		name: 'a2pFrom',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getA2pSenders' },
		default: 'auto',
		required: true,
		displayOptions: showFor(['send']),
		hint: 'Needs a number with the A2PSmsSender feature (a toll-free or 10DLC high-volume number)',
		description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		default: '',
		required: true,
		placeholder: '={{ $json.phone }}',
		displayOptions: showFor(['send']),
		description: 'The recipient(s) of each input item. All items together become one batch; invalid numbers are reported as rejected items and not sent.',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		displayOptions: showFor(['send']),
		description: 'Text of each item\'s message (up to 1,000 characters). Recipients can reply STOP to opt out.',
	},
	{
		displayName: 'Options',
		name: 'batchOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(['send']),
		options: [
			{
				displayName: 'Default Country',
				name: 'defaultCountry',
				type: 'string',
				default: 'US',
				description: 'Two-letter country code for numbers written without a country code',
			},
			{
				displayName: 'Time Budget (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 600 },
				default: 60,
				description: 'Longest time for the batch request; on expiry the outcome is unknown and it is not re-sent',
			},
		],
	},
	{
		displayName: 'Batch ID',
		name: 'batchId',
		type: 'string',
		default: '',
		required: true,
		displayOptions: showFor(['get']),
	},
];
