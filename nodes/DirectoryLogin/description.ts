import type { INodeProperties } from 'n8n-workflow';

const withProtection = { show: { bruteForceProtection: [true] } };

export const directoryLoginProperties: INodeProperties[] = [
	{
		displayName: 'Username',
		name: 'username',
		type: 'string',
		default: '={{ $json.username }}',
		required: true,
		description: 'As the person typed it; it replaces {username} in the credential\'s User Filter, escaped',
	},
	{
		displayName: 'Password',
		name: 'password',
		type: 'string',
		typeOptions: { password: true },
		default: '={{ $json.password }}',
		required: true,
		description: 'The directory password (followed by the TOTP code when the second factor is on). An empty password is refused before the directory is contacted.',
	},
	{
		displayName: 'Password Ends With a TOTP Code',
		name: 'secondFactor',
		type: 'boolean',
		default: false,
		description:
			'Whether the last digits of the password field are an authenticator code (RADIUS style: password + 123456). They are split off, the rest is checked against the directory, and the code goes to the output as totpCode for a TOTP node (Verify Code); the username\'s failure count is then forgotten only when that node approves.',
	},
	{
		displayName: 'Code Digits',
		name: 'secondFactorDigits',
		type: 'options',
		options: [
			{ name: '6', value: 6 },
			{ name: '7', value: 7 },
			{ name: '8', value: 8 },
		],
		default: 6,
		displayOptions: { show: { secondFactor: [true] } },
	},
	{
		displayName: 'Brute-Force Protection',
		name: 'bruteForceProtection',
		type: 'boolean',
		default: true,
		description:
			'Whether to count failed logins per username and per source IP in the OTP Store (Redis for queue mode or several instances) and refuse a locked one without asking the directory',
	},
	{
		displayName: 'Source IP',
		name: 'sourceIp',
		type: 'string',
		default: '={{ $json.request?.ip ?? "" }}',
		displayOptions: withProtection,
		description: 'The caller\'s address, counted separately from the username; empty = count per username only',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Display Name Attribute',
				name: 'displayNameAttribute',
				type: 'string',
				default: 'displayName',
				description: 'Read into display_name (cn when the entry has none)',
			},
			{
				displayName: 'Failure Ceiling (Source IP)',
				name: 'sourceFailureCeiling',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 100,
			},
			{
				displayName: 'Failure Ceiling (Username)',
				name: 'failureCeiling',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 20,
				description: 'Consecutive failures after which the username stays refused until an administrator resets it (shared with OTP and TOTP for the same identifier)',
			},
			{
				displayName: 'Failures per Lockout (Source IP)',
				name: 'sourceFailuresPerLockout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 10,
			},
			{
				displayName: 'Failures per Lockout (Username)',
				name: 'failuresPerLockout',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 5,
				description: 'Every this many failures a lockout starts; each is twice as long as the one before',
			},
			{
				displayName: 'First Lockout (Minutes, Source IP)',
				name: 'sourceLockoutMinutes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1440 },
				default: 1,
			},
			{
				displayName: 'First Lockout (Minutes, Username)',
				name: 'lockoutMinutes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1440 },
				default: 5,
			},
			{
				displayName: 'Mail Attribute',
				name: 'mailAttribute',
				type: 'string',
				default: 'mail',
			},
			{
				displayName: 'Username Attributes',
				name: 'usernameAttributes',
				type: 'string',
				default: 'uid',
				placeholder: 'sAMAccountName, userPrincipalName',
				description: 'Comma-separated; every value of these attributes goes to usernames (OpenLDAP: uid; Active Directory: sAMAccountName or userPrincipalName)',
			},
		],
	},
];
