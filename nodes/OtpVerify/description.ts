import type { INodeProperties } from 'n8n-workflow';
import { failureRuleOptions, identifierOptions } from '../shared/otp';

export const verifyProperties: INodeProperties[] = [
	{
		displayName: 'Identifier',
		name: 'identifier',
		type: 'string',
		default: '',
		required: true,
		placeholder: '+16505550123',
		description: 'The same identifier that OTP Generate was given (phone numbers may be spelled differently)',
	},
	{
		displayName: 'Purpose',
		name: 'purpose',
		type: 'string',
		default: 'login',
		description: 'The same purpose that OTP Generate was given',
	},
	{
		displayName: 'Code',
		name: 'code',
		type: 'string',
		default: '',
		required: true,
		description: 'What the person typed, as text. Spaces and dashes are ignored; anything else that is not 4–10 ASCII digits is denied as malformed. A code that arrives as a JSON number is accepted only when Code Length is set (it restores leading zeros).',
	},
	{
		displayName:
			'Denied is the first output and Approved the second, so a node that fails can never pass for an approval. A Denied item says exactly why (reason: wrong, expired, unknown, too_many_attempts, malformed; with On Error → Continue also misconfigured, store_unavailable, error) for you; answer the person the same way for every denial (use userMessage) so nobody can probe which numbers have codes.',
		name: 'deniedNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Binding',
				name: 'binding',
				type: 'string',
				default: '',
				description: 'Exactly the binding given to OTP Generate (e.g. amount and payee)',
			},
			{
				displayName: 'Code Length',
				name: 'digits',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 0,
				description: 'Digits the code must have; 0 accepts 4 to 10. When set, a code that arrives as a number gets its leading zeros back.',
			},
			...identifierOptions,
			...failureRuleOptions,
			{
				displayName: 'User Message',
				name: 'userMessage',
				type: 'string',
				default: 'The code is invalid or has expired.',
				description: 'Put on every Denied item as userMessage: one answer for every reason',
			},
		],
	},
];
