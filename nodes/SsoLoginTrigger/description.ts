import type { INodeProperties } from 'n8n-workflow';

export const ssoLoginTriggerProperties: INodeProperties[] = [
	{
		displayName:
			'The output holds the password the caller sent, for the Directory Login node. Turn off saving of successful and failed executions for this workflow (Workflow Settings; the bundled template does) so it is never stored.',
		name: 'passwordNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: 'ringotel/authorize',
		required: true,
		description: 'The URL is https://&lt;your n8n&gt;/webhook/&lt;path&gt; (POST only)',
	},
	{
		displayName: 'Username Field',
		name: 'usernameField',
		type: 'string',
		default: 'username',
		description: 'Top-level JSON field with the username',
	},
	{
		displayName: 'Password Field',
		name: 'passwordField',
		// The name of a JSON field, not a secret: nothing to mask.
		// eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing
		type: 'string',
		default: 'password',
		description: 'Top-level JSON field with the password',
	},
	{
		displayName: 'Options',
		name: 'loginOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'IP Allow-List',
				name: 'ipAllowList',
				type: 'string',
				default: '',
				placeholder: '203.0.113.0/24, 2001:db8::/32',
				description: 'Only these addresses or ranges may call (others get 403); empty = any address with the right authorization',
			},
			{
				displayName: 'Max Body Size (KB)',
				name: 'maxBodyKb',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 64 },
				default: 8,
			},
		],
	},
	{
		// n8n parses webhook bodies itself unless a version-1 node says it takes the raw body (the
		// `options.binaryData` switch it reads for its own Webhook node v1). We read the body ourselves so an
		// oversized or malformed one is refused with our own 4xx before anything runs.
		displayName: 'Raw Body',
		name: 'options',
		type: 'hidden',
		default: { binaryData: true },
	},
];
