import type { INodeProperties } from 'n8n-workflow';

export const callQueueOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['callQueue'] } },
	options: [
		{ name: 'Get Many', value: 'getAll', description: "List the account's call queues", action: 'Get many call queues' },
		{ name: 'Get Members', value: 'getMembers', description: 'List the extensions of one call queue', action: 'Get the members of a call queue' },
	],
	default: 'getAll',
};

export const callQueueFields: INodeProperties[] = [
	{
		displayName: 'Call Queue Name or ID',
		name: 'queueId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getCallQueues' },
		default: '',
		required: true,
		displayOptions: { show: { resource: ['callQueue'], operation: ['getMembers'] } },
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: { show: { resource: ['callQueue'] } },
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		displayOptions: { show: { resource: ['callQueue'], returnAll: [false] } },
		description: 'Max number of results to return',
	},
];
