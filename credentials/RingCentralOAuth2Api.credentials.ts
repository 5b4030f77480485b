import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

const PRODUCTION = 'https://platform.ringcentral.com';
const OFFICE_AT_HAND = 'https://platform.ringcentral.biz';
/** The server the user chose, as an n8n expression over this credential's own fields. */
const SERVER = `($self["environment"] === "custom" ? $self["serverUrl"] : $self["environment"] === "officeAtHand" ? "${OFFICE_AT_HAND}" : "${PRODUCTION}")`;

/**
 * RingCentral for people who sign in themselves: the authorization-code flow with PKCE, run by n8n's own
 * OAuth2 support ("Connect my account"). n8n keeps the tokens in this credential and saves every rotated
 * pair after a refresh; the package's transport asks n8n for them (docs/oauth2.md). Client authentication
 * at the token endpoint is HTTP Basic, as RingCentral requires.
 */
export class RingCentralOAuth2Api implements ICredentialType {
	name = 'ringCentralOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'RingCentral OAuth2 API';

	icon: Icon = 'file:ringcentral.svg';

	documentationUrl = 'https://developers.ringcentral.com/guide/authentication/auth-code-pkce-flow';

	properties: INodeProperties[] = [
		{
			displayName: 'Server',
			name: 'environment',
			type: 'options',
			default: 'production',
			options: [
				{ name: 'RingCentral', value: 'production', description: PRODUCTION },
				{ name: 'AT&T Office@Hand / Verizon', value: 'officeAtHand', description: OFFICE_AT_HAND },
				{ name: 'Other URL', value: 'custom', description: 'A proxy or a simulator' },
			],
		},
		{
			displayName: 'Server URL',
			name: 'serverUrl',
			type: 'string',
			default: '',
			placeholder: 'https://platform.ringcentral.com',
			displayOptions: { show: { environment: ['custom'] } },
			description: 'Without a trailing slash',
		},
		{ displayName: 'Grant Type', name: 'grantType', type: 'hidden', default: 'pkce' },
		{ displayName: 'Authorization URL', name: 'authUrl', type: 'hidden', default: `={{ ${SERVER} + "/restapi/oauth/authorize" }}` },
		{ displayName: 'Access Token URL', name: 'accessTokenUrl', type: 'hidden', default: `={{ ${SERVER} + "/restapi/oauth/token" }}` },
		// Empty: RingCentral grants the permissions configured for the app in the Developer Console.
		{ displayName: 'Scope', name: 'scope', type: 'hidden', default: '' },
		{ displayName: 'Auth URI Query Parameters', name: 'authQueryParameters', type: 'hidden', default: '' },
		// "header" = HTTP Basic with the Client ID and Secret, what RingCentral's token endpoint expects.
		{ displayName: 'Authentication', name: 'authentication', type: 'hidden', default: 'header' },
		{
			displayName:
				'In the Developer Console create a REST API app with auth "3-legged OAuth flow authorization code" (server-side web app), add n8n\'s OAuth Redirect URL shown above, and give it the permissions your workflows need (SMS, ReadMessages, ReadAccounts; ReadCallLog for the call log).',
			name: 'notice',
			type: 'notice',
			default: '',
		},
	];

	/** Reads the signed-in extension: proves the connection and the ReadAccounts permission. */
	test: ICredentialTestRequest = {
		request: { baseURL: `={{ ${SERVER} }}`, url: '/restapi/v1.0/account/~/extension/~' },
	};
}
