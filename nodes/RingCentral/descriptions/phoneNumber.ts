import type { INodeProperties } from 'n8n-workflow';

export const phoneNumberOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['phoneNumber'] } },
	options: [
		{ name: 'List', value: 'list', description: "List the extension's phone numbers", action: 'List phone numbers' },
	],
	default: 'list',
};

export const phoneNumberFields: INodeProperties[] = [
	{
		displayName: 'Feature',
		name: 'feature',
		type: 'options',
		default: 'SmsSender',
		displayOptions: { show: { resource: ['phoneNumber'], operation: ['list'] } },
		options: [
			{ name: 'Any', value: '' },
			{ name: 'Caller ID', value: 'CallerId' },
			{ name: 'High-Volume SMS Sender (A2P)', value: 'A2PSmsSender' },
			{ name: 'International SMS Sender', value: 'InternationalSmsSender' },
			{ name: 'MMS Sender', value: 'MmsSender' },
			{ name: 'SMS Sender', value: 'SmsSender' },
		],
		description: 'Only numbers with this feature',
	},
];
