/** The Authentication field and credential list every RingCentral node shows: JWT (default) or OAuth2. */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { RINGCENTRAL_CREDENTIAL, RINGCENTRAL_OAUTH2_CREDENTIAL } from './client';

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'JWT (Server App, No User Present)', value: 'jwt' },
		{ name: 'OAuth2 (Sign in with RingCentral)', value: 'oAuth2' },
	],
	default: 'jwt',
	description: 'JWT for unattended workflows acting as one user; OAuth2 when a person connects their own account',
};

/** Workflows saved before the field existed have no value for it and keep using the JWT credential. */
export const ringCentralCredentials: INodeCredentialDescription[] = [
	{ name: RINGCENTRAL_CREDENTIAL, required: true, testedBy: 'ringCentralJwtApiTest', displayOptions: { show: { authentication: ['jwt'] } } },
	{ name: RINGCENTRAL_OAUTH2_CREDENTIAL, required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
];
