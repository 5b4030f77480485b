import type { INodeProperties } from 'n8n-workflow';
import { DEFAULT_TEMPLATE } from '../../lib/otp';
import { guardOptionFields } from '../shared/guard';
import { failureRuleOptions, identifierOptions } from '../shared/otp';

export const SEND = 'send';
export const OUTPUT = 'output';

export const generateProperties: INodeProperties[] = [
	{
		displayName: 'Identifier',
		name: 'identifier',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+16505550123',
		description:
			'Who the code is for: a phone number, username or account number. Limits and failure counts are per identifier. It is stored only as a keyed hash.',
	},
	{
		displayName: 'Purpose',
		name: 'purpose',
		type: 'string',
		default: 'login',
		description: 'What the code is for (login, password-reset, …). A code only verifies for the same identifier and purpose.',
	},
	{
		displayName: 'Delivery',
		name: 'delivery',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Send SMS via RingCentral (Code Stays Out of Executions)',
				value: SEND,
				description: 'The node texts the code itself; neither the code nor the message appears in its output, so saved executions never contain it',
			},
			{
				name: 'Output the Message for a Later Node to Send',
				value: OUTPUT,
				description: 'The message text (with the code) becomes part of the output and therefore of saved execution data',
			},
		],
		default: SEND,
	},
	{
		displayName:
			'This mode puts the code into the execution data: anyone who can open this workflow\'s executions can read it. Prefer "Send SMS via RingCentral", or turn off saving of successful executions for this workflow.',
		name: 'outputModeNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { delivery: [OUTPUT] } },
	},
	{
		displayName: 'Send To',
		name: 'sendTo',
		type: 'string',
		default: '',
		placeholder: '+16505550123',
		displayOptions: { show: { delivery: [SEND] } },
		description: 'The phone number to text. Leave empty when the identifier is the phone number.',
	},
	{
		displayName: 'From Name or ID',
		name: 'from',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSmsSenders' },
		default: 'auto',
		displayOptions: { show: { delivery: [SEND] } },
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	},
	{
		displayName: 'Message Template',
		name: 'template',
		type: 'string',
		typeOptions: { rows: 2 },
		default: DEFAULT_TEMPLATE,
		description: '{code} is replaced by the code (required), {minutes} by its lifetime in minutes, {purpose} by the purpose',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		displayOptions: { show: { delivery: [OUTPUT] } },
		options: [
			{ name: 'Message', value: 'message', description: 'The SMS text, ready for a sending node' },
			{ name: 'Message and Code', value: 'messageAndCode', description: 'Also the bare code, e.g. for a voice call or e-mail' },
			{ name: 'Neither', value: 'none', description: 'Only the verification ID and expiry (the code is lost: useful only for tests of limits)' },
		],
		default: 'message',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allow Lifetime Over 10 Minutes',
				name: 'allowLongLifetime',
				type: 'boolean',
				default: false,
				description: 'Whether codes may live longer than the 10 minutes NIST and OWASP recommend',
			},
			// Allowed Countries, Destination Limits, Refused Number Types: the shared abuse guard.
			...guardOptionFields(),
			{
				displayName: 'Attempts per Code',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 20 },
				default: 5,
				description: 'Checks allowed for one code; a new code for a running verification keeps the attempts already used',
			},
			{
				displayName: 'Binding',
				name: 'binding',
				type: 'string',
				default: '',
				placeholder: 'amount=10.00;payee=ACME',
				description: 'Context the code approves (e.g. amount and payee); OTP Verify must give exactly the same value',
			},
			...identifierOptions,
			{
				displayName: 'Digits',
				name: 'digits',
				type: 'number',
				typeOptions: { minValue: 4, maxValue: 10 },
				default: 6,
				description: 'Length of the code. NIST and OWASP ASVS ask for at least 6.',
			},
			...failureRuleOptions,
			{
				displayName: 'Lifetime (Minutes)',
				name: 'lifetimeMinutes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10,
			},
			{
				displayName: 'Resend Cooldown (Seconds)',
				name: 'cooldownSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 30,
				description: 'Minimum time between two codes for one identifier',
			},
			{
				displayName: 'Resend Policy',
				name: 'resend',
				type: 'options',
				options: [
					{
						name: 'New Code, Old One Invalid',
						value: 'newCode',
						description: 'A resend issues a fresh code; attempts already used and the failure count carry over. Only a keyed hash is stored.',
					},
					{
						name: 'Same Code While Valid',
						value: 'sameCode',
						description: 'Like Twilio Verify: resends repeat the running code. The code is also stored encrypted with a key derived from the pepper.',
					},
				],
				default: 'newCode',
			},
			{
				displayName: 'Send Limit',
				name: 'maxSends',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5,
				description: 'Codes per identifier within the send window (Twilio: 5 per 10 minutes)',
			},
			{
				displayName: 'Send Window (Minutes)',
				name: 'sendWindowMinutes',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10,
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30,
				description: 'How long to wait for RingCentral to accept the SMS',
			},
		],
	},
];
