import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * How callers of the SMS Gateway Trigger prove who they are. The trigger checks it itself (constant-time
 * comparison, see lib/gateway/auth.ts), so this credential has no `authenticate` block: nothing here is
 * ever sent anywhere.
 */
export class SmsGatewayAuthApi implements ICredentialType {
	name = 'smsGatewayAuthApi';

	displayName = 'SMS Gateway Caller Auth API';

	icon: Icon = 'file:smsGateway.svg';

	documentationUrl = 'https://github.com/n8n-nodes-ringcentral-sms/n8n-nodes-ringcentral-sms#sms-gateway-trigger';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authType',
			type: 'options',
			options: [
				{ name: 'None', value: 'none', description: 'Anyone who knows the URL may send SMS (use an IP allow-list)' },
				{ name: 'Basic Auth', value: 'basicAuth', description: 'Authorization: Basic (ManageEngine, Axigen, privacyIDEA, Keycloak)' },
				{ name: 'Bearer Token', value: 'bearer', description: 'Authorization: Bearer <token> (Axigen, Keycloak)' },
				{ name: 'Header Token', value: 'header', description: 'A header of your choice carries the token' },
				{ name: 'Query Token', value: 'query', description: 'A query parameter carries the token (PRTG, callers without headers)' },
			],
			default: 'basicAuth',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			displayOptions: { show: { authType: ['basicAuth'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { authType: ['basicAuth'] } },
		},
		{
			displayName: 'Header or Parameter Name',
			name: 'name',
			type: 'string',
			default: '',
			placeholder: 'X-Api-Key',
			description: 'The header (Header Token) or query parameter (Query Token) that carries the token',
			displayOptions: { show: { authType: ['header', 'query'] } },
		},
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'A long random value; the caller must send exactly this',
			displayOptions: { show: { authType: ['bearer', 'header', 'query'] } },
		},
	];
}
