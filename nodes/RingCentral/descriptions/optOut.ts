import type { INodeProperties } from 'n8n-workflow';

const showFor = (operation: string[]) => ({ show: { resource: ['optOut'], operation } });

export const optOutOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['optOut'] } },
	options: [
		{ name: 'Add', value: 'add', description: 'Record that a number opted out (texted STOP)', action: 'Record an opt out' },
		{ name: 'Check', value: 'check', description: 'Whether a number has opted out', action: 'Check an opt out' },
		{ name: 'Remove', value: 'remove', description: 'Record that a number opted back in (texted START)', action: 'Remove an opt out' },
	],
	default: 'add',
};

export const optOutFields: INodeProperties[] = [
	{
		displayName:
			'The opt-out list is shared with SMS → Send (option Refuse Opted-Out Recipients). It lives in Redis with N8N_RINGCENTRAL_REDIS_URL or in queue mode, otherwise in a file in the n8n user folder.',
		name: 'optOutNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['optOut'] } },
	},
	{
		displayName: 'Phone Number',
		name: 'optOutNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+14155550123',
		displayOptions: { show: { resource: ['optOut'] } },
		description: 'The number that texted the keyword, for example {{ $JSON.from }} from the RingCentral Trigger',
	},
	{
		displayName: 'Keyword',
		name: 'keyword',
		type: 'string',
		default: '',
		placeholder: 'STOP',
		displayOptions: showFor(['add']),
		description: 'What they texted; kept with the record',
	},
	{
		displayName: 'Received On',
		name: 'receivedOn',
		type: 'string',
		default: '',
		placeholder: '+16505550100',
		displayOptions: showFor(['add']),
		description: 'Which of your numbers they texted; kept with the record',
	},
];
