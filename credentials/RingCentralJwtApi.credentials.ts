import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * RingCentral's JWT grant: the documented way for an unattended server to act as one user. The login
 * itself happens in the package's transport (one shared session per credential), not here, because n8n's
 * generic credential authentication cannot express the JWT bearer grant. The test lives on the node
 * (`testedBy: 'ringCentralJwtApiTest'`) so it can really log in and check the SMS permission.
 */
export class RingCentralJwtApi implements ICredentialType {
	name = 'ringCentralJwtApi';

	displayName = 'RingCentral JWT API';

	icon: Icon = 'file:ringcentral.svg';

	documentationUrl = 'https://developers.ringcentral.com/guide/authentication/jwt-flow';

	properties: INodeProperties[] = [
		{
			displayName: 'Server URL',
			name: 'serverUrl',
			type: 'string',
			default: 'https://platform.ringcentral.com',
			required: true,
			placeholder: 'https://platform.ringcentral.com',
			description:
				'RingCentral: https://platform.ringcentral.com. AT&T Office@Hand and Verizon: https://platform.ringcentral.biz. Any other URL (a simulator or a proxy) also works.',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'From the app\'s Credentials page in the RingCentral Developer Console (app type "REST API app", auth "JWT auth flow")',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'JWT',
			name: 'jwt',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The JWT credential created in the Developer Console (Credentials → Create JWT) for the user whose numbers send the SMS. The app needs the SMS, ReadMessages and ReadAccounts permissions.',
		},
		{
			displayName:
				'n8n logs in once per credential and shares the session with every execution; RingCentral allows only 5 logins a minute and about 5 sessions per user, so avoid using the same JWT in other apps at the same time.',
			name: 'notice',
			type: 'notice',
			default: '',
		},
	];
}
