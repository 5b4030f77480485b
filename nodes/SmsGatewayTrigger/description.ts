/**
 * Editor fields of the SMS Gateway Trigger, generated from the presets table. Each preset gets its own
 * copy of every field (`toNames_manageEngine`, `toNames_axigen`, …) pre-filled with its values. Distinct
 * names rather than one name shown per preset: n8n keeps a string field's value when the field it belongs
 * to changes, so a shared name would carry the previous preset's values into the next one.
 */
/* eslint-disable n8n-nodes-base/node-param-default-missing -- the defaults are set, from the presets table; the rule only sees literals */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { MAX_TEXT_UNITS, PRESETS, type Preset } from '../../lib/gateway';
import { DEFAULT_PER_CALLER, DEFAULT_PER_DESTINATION, DEFAULT_REFUSED_TYPES, REFUSABLE_TYPES } from '../../lib/guard';

export const PER_PRESET_FIELDS = [
	'toNames',
	'textNames',
	'fromNames',
	'countryCodeNames',
	'textTemplate',
	'defaultCountry',
	'methods',
	'replyTiming',
	'replyFormat',
	'successStatus',
	'successBody',
	'failureBody',
] as const;
export type PerPresetField = (typeof PER_PRESET_FIELDS)[number];

export const fieldName = (field: PerPresetField, presetId: string) => `${field}_${presetId}`;

const presetOptions: INodePropertyOptions[] = PRESETS.map((p) => ({ name: p.name, value: p.id, description: p.description }));

/** `failure: {reason}` → `failure`: what a caller that looks for a substring should be told to look for. */
export function failureToken(failureBody: string): string {
	return failureBody.split('{')[0].trim().replace(/[:\-–]+$/, '').trim();
}

/**
 * For callers that compare the reply with strings their admin types: a notice quoting the exact strings,
 * shown only while the Success and Failure Body fields hold exactly that pair, so it can never disagree
 * with what the trigger answers.
 */
function replyStringHints(p: Preset): INodeProperties[] {
	if (!p.readsReplyStrings) return [];
	const pairs = [{ successBody: p.reply.successBody, failureBody: p.reply.failureBody }, ...(p.alternativeReplies ?? [])];
	const [successLabel, failureLabel] = p.replyStringLabels ?? ['Success response', 'Failure response'];
	return pairs.map((pair, i) => ({
		displayName: `Type exactly this in the caller: ${successLabel} <b>${pair.successBody}</b>, ${failureLabel} <b>${failureToken(pair.failureBody)}</b> (from the Success and Failure Body fields below)`,
		name: `replyHint_${p.id}_${i}`,
		type: 'notice' as const,
		default: '',
		displayOptions: { show: { preset: [p.id], [fieldName('successBody', p.id)]: [pair.successBody], [fieldName('failureBody', p.id)]: [pair.failureBody] } },
	}));
}

function presetFields(p: Preset): INodeProperties[] {
	const show = { displayOptions: { show: { preset: [p.id] } } };
	return [
		{ displayName: p.setupHint, name: `setupHint_${p.id}`, type: 'notice', default: '', ...show },
		...replyStringHints(p),
		{
			displayName: 'Recipient Parameter',
			name: fieldName('toNames', p.id),
			type: 'string',
			default: p.fields.to.join(', '),
			description: 'Names of the parameter that carries the phone number, in order of preference. Dotted paths reach into JSON/XML (payload.phone).',
			...show,
		},
		{
			displayName: 'Text Parameter',
			name: fieldName('textNames', p.id),
			type: 'string',
			default: p.fields.text.join(', '),
			description: 'Names of the parameter that carries the message, in order of preference',
			...show,
		},
		{
			displayName: 'Text Template',
			name: fieldName('textTemplate', p.id),
			type: 'string',
			default: p.fields.textTemplate,
			placeholder: 'Your verification code is {payload.code}',
			description: 'Used when no text parameter is present: {name} placeholders are filled from the request parameters',
			...show,
		},
		{
			displayName: 'Sender Parameter',
			name: fieldName('fromNames', p.id),
			type: 'string',
			default: p.fields.from.join(', '),
			description: 'Names of an optional parameter with the sender number (output as "from"; the RingCentral node decides whether to use it)',
			...show,
		},
		{
			displayName: 'Country Code Parameter',
			name: fieldName('countryCodeNames', p.id),
			type: 'string',
			default: p.fields.countryCode.join(', '),
			description: 'Names of an optional parameter with a separate country calling code (FortiAuthenticator: country_code, may be 01)',
			...show,
		},
		{
			displayName: 'Default Country',
			name: fieldName('defaultCountry', p.id),
			type: 'string',
			default: p.defaultCountry,
			placeholder: 'US',
			description:
				'Two-letter country for numbers without a country code (6505550123 with US, 07911 123456 with GB). Empty: only international numbers.',
			...show,
		},
		{
			displayName: 'Accepted Methods',
			name: fieldName('methods', p.id),
			type: 'options',
			options: [
				{ name: 'GET and POST', value: 'GET,POST' },
				{ name: 'GET Only', value: 'GET' },
				{ name: 'POST Only', value: 'POST' },
			],
			default: p.methods,
			description: 'Other methods get a 405 reply in the caller\'s format',
			...show,
		},
		{
			displayName: 'Reply',
			name: fieldName('replyTiming', p.id),
			type: 'options',
			options: [
				{
					name: 'After the SMS Is Accepted',
					value: 'afterAccepted',
					description: 'An "SMS Gateway Reply" node after the RingCentral node answers: the caller learns whether RingCentral took the message',
				},
				{
					name: 'Immediately',
					value: 'immediately',
					description: 'Answer success as soon as the request is valid; the SMS is sent by the workflow afterwards. For callers with short timeouts.',
				},
			],
			default: p.timing,
			...show,
		},
		{
			displayName: 'Reply Format',
			name: fieldName('replyFormat', p.id),
			type: 'options',
			options: [
				{ name: 'Text', value: 'text' },
				{ name: 'JSON', value: 'json' },
				{ name: 'XML', value: 'xml' },
				{ name: 'Empty Body', value: 'empty' },
			],
			default: p.reply.format,
			...show,
		},
		{
			displayName: 'Success Status Code',
			name: fieldName('successStatus', p.id),
			type: 'number',
			typeOptions: { minValue: 200, maxValue: 299 },
			default: p.reply.successStatus,
			...show,
		},
		{
			displayName: 'Success Body',
			name: fieldName('successBody', p.id),
			type: 'string',
			default: p.reply.successBody,
			description: 'What the caller looks for on success. {messageId}: the RingCentral message ID (empty when replying immediately).',
			...show,
		},
		{
			displayName: 'Failure Body',
			name: fieldName('failureBody', p.id),
			type: 'string',
			default: p.reply.failureBody,
			description: 'Sent with a 4xx/5xx status. {reason}: why, in words; {code}: a short code such as invalid-phonenumber. Never contains the success body.',
			...show,
		},
	];
}

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: 'sms',
		required: true,
		placeholder: 'sms',
		description: 'The production URL is &lt;n8n&gt;/webhook/&lt;path&gt; (and /webhook-test/&lt;path&gt; while testing). GET and POST both arrive here.',
	},
	{
		displayName:
			'Wiring: this trigger → RingCentral (Send SMS, Settings → On Error: Continue) → SMS Gateway Reply. The reply node answers the caller in the format below; with "Reply: Immediately" the caller is answered at once. A run that ends without an SMS Gateway Reply answering gives the caller the failure reply (code no-reply), never an empty success.',
		name: 'wiringNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Caller',
		name: 'preset',
		type: 'options',
		noDataExpression: true,
		options: presetOptions,
		default: 'manageEngine',
		description: 'The product that calls this URL. It fills the parameter names and the reply; every field stays editable.',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'None', value: 'none' },
			{ name: 'Caller Credential', value: 'smsGatewayAuthApi' },
		],
		default: 'none',
		description: 'How the caller proves who it is (Basic, Bearer, header or query token). A refused caller gets 401 and nothing runs.',
	},
	{
		displayName: 'Allow Anyone Who Knows the URL',
		name: 'allowAnyone',
		type: 'boolean',
		default: false,
		displayOptions: { show: { authentication: ['none'] } },
		description:
			'Whether to serve callers without authentication or an IP allow-list. Off: such a trigger answers every request with 403 and sends nothing.',
	},
	{
		displayName:
			'Without caller authentication or an IP allow-list (Options) this trigger refuses every request with 403. Choose a Caller Credential, or add the callers\' addresses to the IP allow-list.',
		name: 'notSecuredNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: ['none'], allowAnyone: [false] } },
	},
	{
		displayName:
			'<b>Warning:</b> anyone who finds this URL can text numbers from your company\'s RingCentral number — password-reset spam, or SMS pumping to premium numbers billed to you. The guard in Options (allowed countries, refused number types, send limits) still applies, but only authentication or an IP allow-list stops strangers.',
		name: 'openRelayWarning',
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: ['none'], allowAnyone: [true] } },
	},
	...PRESETS.flatMap(presetFields),
	{
		displayName: 'Options',
		name: 'gatewayOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allowed Countries',
				name: 'allowedCountries',
				type: 'string',
				default: '',
				placeholder: 'US, CA, GB',
				description:
					'Two-letter codes of the countries SMS may go to; other numbers are refused with 400. Empty = the Default Country only. * = every country (not recommended). Also decides between two readings of digits-only numbers.',
			},
			{
				displayName: 'Body Timeout (Seconds)',
				name: 'bodyTimeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 120 },
				default: 10,
				description: 'A caller that has not sent its whole body by then gets 408 in its format',
			},
			{
				displayName: 'Caller Limit per Hour',
				name: 'callerPerHour',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_PER_CALLER.perHour,
				description: 'SMS one calling IP address may request per hour; more get 429. 0 = no limit. Shared by every n8n process in queue mode (or with N8N_RINGCENTRAL_REDIS_URL).',
			},
			{
				displayName: 'Caller Limit per Minute',
				name: 'callerPerMinute',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_PER_CALLER.perMinute,
				description: 'SMS one calling IP address may request per minute; more get 429. 0 = no limit.',
			},
			{
				displayName: 'Destination Limit per Hour',
				name: 'destinationPerHour',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_PER_DESTINATION.perHour,
				description: 'SMS one phone number may receive per hour through this trigger; more get 429. 0 = no limit.',
			},
			{
				displayName: 'Destination Limit per Minute',
				name: 'destinationPerMinute',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_PER_DESTINATION.perMinute,
				description: 'SMS one phone number may receive per minute through this trigger; more get 429. 0 = no limit.',
			},
			{
				displayName: 'Duplicate Window (Seconds)',
				name: 'duplicateWindowSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 3600 },
				default: 0,
				description:
					'Callers retry (PRTG three times, ManageEngine on timeout). The same recipient and text again within this many seconds sends no second SMS and gets the first one\'s reply. 0 = off.',
			},
			{
				displayName: 'Fixed Failure Status Code',
				name: 'failureStatus',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 599 },
				default: 0,
				description: 'Use this status for every failure except 401/403. 0 = pick by failure (400 bad input, 413, 415, 502 refused, 504 timeout).',
			},
			{
				displayName: 'IP Allow-List',
				name: 'ipAllowList',
				type: 'string',
				default: '',
				placeholder: '10.0.0.0/8, 192.168.1.20',
				description:
					'Addresses or CIDR ranges allowed to call; others get 403. Checked against the address n8n reports: behind a reverse proxy set N8N_PROXY_HOPS to the number of proxies, or every caller looks like the proxy; without a proxy leave it unset, or a forged X-Forwarded-For header is believed.',
			},
			{
				displayName: 'Max Body Size (KB)',
				name: 'maxBodyKb',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1024 },
				default: 64,
			},
			{
				displayName: 'Max Recipients per Request',
				name: 'maxRecipients',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 10,
			},
			{
				displayName: 'Max Text Length',
				name: 'maxTextLength',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_TEXT_UNITS },
				default: MAX_TEXT_UNITS,
				description: 'In UTF-16 units (an emoji counts 2). RingCentral accepts at most 1000.',
			},
			{
				displayName: 'Refused Number Types',
				name: 'refusedNumberTypes',
				type: 'multiOptions',
				options: REFUSABLE_TYPES.map((t) => ({ name: t.name, value: t.value })),
				default: [...DEFAULT_REFUSED_TYPES],
				description:
					'Numbers of these types (from libphonenumber\'s metadata) are refused with 400. Landlines only where the metadata is certain: it cannot tell US landlines from mobiles.',
			},
		],
	},
	{
		// n8n parses webhook bodies itself unless a version-1 node says it takes the raw body (the
		// `options.binaryData` switch it reads for its own Webhook node v1). We parse ourselves so malformed
		// and oversized bodies get a reply in the caller's format, and XML is parsed with entities off.
		displayName: 'Raw Body',
		name: 'options',
		type: 'hidden',
		default: { binaryData: true },
	},
];
