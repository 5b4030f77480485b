import type { INodeProperties } from 'n8n-workflow';
import { failureRuleOptions, identifierOptions } from '../shared/otp';

const show = (operation: string) => ({ show: { operation: [operation] } });

const settings: INodeProperties[] = [
	{
		displayName: 'Algorithm',
		name: 'algorithm',
		type: 'options',
		options: [
			{ name: 'SHA-1 (Every App Supports It)', value: 'SHA1' },
			{ name: 'SHA-256', value: 'SHA256' },
			{ name: 'SHA-512', value: 'SHA512' },
		],
		default: 'SHA1',
		description: 'Google Authenticator ignores anything but SHA-1; change only if every user\'s app supports it. Create and Verify must agree.',
	},
	{
		displayName: 'Digits',
		name: 'digits',
		type: 'options',
		options: [
			{ name: '6', value: 6 },
			{ name: '7', value: 7 },
			{ name: '8', value: 8 },
		],
		default: 6,
	},
	{
		displayName: 'Period (Seconds)',
		name: 'period',
		type: 'number',
		typeOptions: { minValue: 15, maxValue: 120 },
		default: 30,
	},
];

export const totpProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Create Secret',
				value: 'createSecret',
				description: 'New secret with its otpauth URI and QR code for an authenticator app',
				action: 'Create a TOTP secret',
			},
			{
				name: 'Verify Code',
				value: 'verify',
				description: 'Check a code from an authenticator app (±1 step); a step is accepted only once',
				action: 'Verify a TOTP code',
			},
		],
		default: 'createSecret',
	},
	{
		displayName:
			'The output holds the secret: store it in your user database (encrypted if you can) and pass it to Verify Code. Executions of this workflow contain it too — consider turning off saving of successful executions for it.',
		name: 'secretNotice',
		type: 'notice',
		default: '',
		displayOptions: show('createSecret'),
	},
	{
		displayName: 'Issuer',
		name: 'issuer',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'Acme Mail',
		displayOptions: show('createSecret'),
		description: 'Your service, as the authenticator app shows it',
	},
	{
		displayName: 'Account Name',
		name: 'account',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'alice@acme.com',
		displayOptions: show('createSecret'),
		description: 'The user, as the authenticator app shows it',
	},
	{
		displayName: 'Put QR Code in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'qrCode',
		displayOptions: show('createSecret'),
		description: 'Binary field for the QR code PNG; the same image is also in the JSON as a data URL',
	},
	{
		displayName: 'Identifier',
		name: 'identifier',
		type: 'string',
		default: '',
		required: true,
		displayOptions: show('verify'),
		description: 'Who is signing in; replay protection and failure counts are per identifier and secret',
	},
	{
		displayName: 'Secret',
		name: 'secret',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		required: true,
		displayOptions: show('verify'),
		description: 'The base32 secret from Create Secret, read from where you stored it',
	},
	{
		displayName: 'Code',
		name: 'code',
		type: 'string',
		default: '',
		required: true,
		displayOptions: show('verify'),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show('createSecret'),
		options: settings,
	},
	{
		displayName: 'Options',
		name: 'verifyOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show('verify'),
		options: [
			...settings,
			...identifierOptions,
			...failureRuleOptions,
			{
				displayName: 'Window (Steps)',
				name: 'window',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 2 },
				default: 1,
				description: 'Steps accepted before and after the current one, for clock drift (RFC 6238 suggests 1)',
			},
		],
	},
];
