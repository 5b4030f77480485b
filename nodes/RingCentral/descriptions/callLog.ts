import type { INodeProperties } from 'n8n-workflow';

const showFor = (operation: string[]) => ({ show: { resource: ['callLog'], operation } });

export const callLogOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['callLog'] } },
	options: [
		{ name: 'Get', value: 'get', description: 'Read one call-log record by its ID', action: 'Get a call log record' },
		{ name: 'Get Many', value: 'getAll', description: 'Read call-log records, one item per call', action: 'Get many call log records' },
		{
			name: 'Get New Since Last Sync',
			value: 'sync',
			description: 'Read the records since the last saved sync position (with an overlap), for an incremental export',
			action: 'Get call log records since the last sync',
		},
		{
			name: 'Save Sync Position',
			value: 'commitSync',
			description: 'After the records were stored, move the sync position to the end of this run',
			action: 'Save the call log sync position',
		},
	],
	default: 'getAll',
};

const scope: INodeProperties = {
	displayName: 'Scope',
	name: 'scope',
	type: 'options',
	default: 'extension',
	displayOptions: showFor(['getAll', 'get', 'sync']),
	options: [
		{
			name: 'Extension',
			value: 'extension',
			description: "The calls of the user the credential signs in as (app permission ReadCallLog)",
		},
		{
			name: 'Whole Account',
			value: 'account',
			description: 'Every extension\'s calls: needs the app permission ReadCallLog and a user with an admin role (Company Call Log)',
		},
	],
	description: 'Whose calls to read',
};

const view: INodeProperties = {
	displayName: 'View',
	name: 'view',
	type: 'options',
	default: 'Simple',
	displayOptions: showFor(['getAll', 'get', 'sync']),
	options: [
		{ name: 'Simple', value: 'Simple', description: 'One record per call' },
		{ name: 'Detailed', value: 'Detailed', description: 'Adds the call legs (legs[]) and lastModifiedTime' },
	],
};

const typeFilter: INodeProperties = {
	displayName: 'Type',
	name: 'type',
	type: 'options',
	default: '',
	options: [
		{ name: 'All', value: '' },
		{ name: 'Fax', value: 'Fax' },
		{ name: 'Voice', value: 'Voice' },
	],
};

const directionFilter: INodeProperties = {
	displayName: 'Direction',
	name: 'direction',
	type: 'options',
	default: '',
	options: [
		{ name: 'All', value: '' },
		{ name: 'Inbound', value: 'Inbound' },
		{ name: 'Outbound', value: 'Outbound' },
	],
};

const withRecording: INodeProperties = {
	displayName: 'With Recording Only',
	name: 'withRecording',
	type: 'boolean',
	default: false,
	description: 'Whether to return only calls that have a recording',
};

const pageSize: INodeProperties = {
	displayName: 'Page Size',
	name: 'pageSize',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 1000 },
	default: 1000,
	description:
		'Records per request. Call-log reads are in RingCentral\'s Heavy group (10 requests a minute), so large pages (up to 1,000) export fastest.',
};

const timeout: INodeProperties = {
	displayName: 'Timeout per Request (Seconds)',
	name: 'timeoutSeconds',
	type: 'number',
	typeOptions: { minValue: 1, maxValue: 3600 },
	default: 300,
	description:
		'How long one page may take, waiting for the rate-limit budget included. A long export waits for the Heavy group between pages instead of provoking a 429.',
};

const syncName: INodeProperties = {
	displayName: 'Sync Name',
	name: 'syncName',
	type: 'string',
	default: 'call-log',
	required: true,
	displayOptions: showFor(['sync', 'commitSync']),
	description:
		'Names the sync position kept in this workflow. "Get New Since Last Sync" and "Save Sync Position" must use the same name; a new name starts over with the back-fill.',
};

export const callLogFields: INodeProperties[] = [
	scope,
	{
		displayName: 'Record ID',
		name: 'recordId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Y3s5ZzSwEXAMPLE',
		displayOptions: showFor(['get']),
		description: 'The ID of the call-log record (the ID field of a call-log item)',
	},
	view,
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: showFor(['getAll']),
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		displayOptions: { show: { resource: ['callLog'], operation: ['getAll'], returnAll: [false] } },
		description: 'Max number of results to return',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: showFor(['getAll']),
		options: [
			{
				displayName: 'Date From',
				name: 'dateFrom',
				type: 'dateTime',
				default: '',
				description: 'Calls that started at or after this time. RingCentral\'s default is 24 hours ago.',
			},
			{
				displayName: 'Date To',
				name: 'dateTo',
				type: 'dateTime',
				default: '',
				description: 'Calls that started at or before this time (default: now)',
			},
			directionFilter,
			typeFilter,
			withRecording,
		],
	},
	syncName,
	{
		displayName: 'Overlap (Minutes)',
		name: 'overlapMinutes',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10080 },
		default: 60,
		displayOptions: showFor(['sync']),
		description:
			'Each run reads again this far back before the last sync position, to catch records that appear late (a call is listed once it has ended, with the time it started). Use more than your longest calls. Store records by ID so the overlap adds nothing twice.',
	},
	{
		displayName: 'First Run: Days Back',
		name: 'backfillDays',
		type: 'number',
		typeOptions: { minValue: 0.01, maxValue: 365 },
		default: 1,
		displayOptions: showFor(['sync']),
		description: 'With no saved position yet (the first run, or a new Sync Name), read this many days back: the back-fill',
	},
	{
		displayName: 'Filters',
		name: 'syncFilters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: showFor(['sync']),
		options: [directionFilter, typeFilter, withRecording],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(['getAll', 'sync']),
		options: [pageSize, timeout],
	},
];
