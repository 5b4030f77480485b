/** How every node reaches the package's single RingCentral transport (`lib/ringcentral`). */
import type { IDataObject, IExecuteFunctions, IHookFunctions, IHttpRequestOptions, ILoadOptionsFunctions, IWebhookFunctions } from 'n8n-workflow';
import {
	getRingCentralClient,
	getRingCentralOAuthClient,
	type OAuthTokens,
	type RingCentralClient,
	type RingCentralCredentials,
	type TokenBroker,
} from '../../../lib/ringcentral';

export const RINGCENTRAL_CREDENTIAL = 'ringCentralJwtApi';
export const RINGCENTRAL_OAUTH2_CREDENTIAL = 'ringCentralOAuth2Api';

/** Every context a RingCentral node reaches the transport from: items, dropdowns, and a trigger's hooks and webhook. */
type Context = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions;
export type Authentication = 'jwt' | 'oAuth2';

const SERVERS: Record<string, string> = { production: 'https://platform.ringcentral.com', officeAtHand: 'https://platform.ringcentral.biz' };

/** The node's Authentication field; nodes without one (OTP Generate) use the JWT credential. */
export function authenticationOf(context: Context): Authentication {
	try {
		const value =
			'getInputData' in context
				? (context as IExecuteFunctions).getNodeParameter('authentication', 0, 'jwt')
				: (context as ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions).getNodeParameter('authentication', 'jwt');
		return value === 'oAuth2' ? 'oAuth2' : 'jwt';
	} catch {
		return 'jwt';
	}
}

export function oauthServerUrl(data: IDataObject): string {
	const chosen = String(data.environment ?? 'production');
	return (chosen === 'custom' ? String(data.serverUrl ?? '') : (SERVERS[chosen] ?? SERVERS.production)).trim().replace(/\/+$/, '');
}

/**
 * n8n's side of the OAuth2 tokens: read them from the credential, and let n8n's OAuth2 helper renew them
 * (it refreshes on a 401 and saves the rotated pair into the credential; lib/ringcentral/oauth.ts).
 */
function brokerFor(context: Context, serverUrl: string): TokenBroker {
	const name = context.getNode().credentials?.[RINGCENTRAL_OAUTH2_CREDENTIAL]?.name ?? 'RingCentral OAuth2 API';
	return {
		credentialName: name,
		read: async () => ((await context.getCredentials(RINGCENTRAL_OAUTH2_CREDENTIAL)) as IDataObject).oauthTokenData as OAuthTokens | undefined,
		renew: async () => {
			const probe: IHttpRequestOptions = { method: 'GET', url: `${serverUrl}/restapi/v1.0/account/~/extension/~`, json: true };
			await context.helpers.httpRequestWithAuthentication.call(context, RINGCENTRAL_OAUTH2_CREDENTIAL, probe);
		},
	};
}

export async function clientFor(context: Context): Promise<RingCentralClient> {
	if (authenticationOf(context) === 'oAuth2') {
		const data = (await context.getCredentials(RINGCENTRAL_OAUTH2_CREDENTIAL)) as IDataObject;
		const serverUrl = oauthServerUrl(data);
		const credentialId = context.getNode().credentials?.[RINGCENTRAL_OAUTH2_CREDENTIAL]?.id ?? 'unsaved';
		return getRingCentralOAuthClient(
			{ serverUrl, clientId: String(data.clientId ?? ''), clientSecret: String(data.clientSecret ?? ''), credentialId: String(credentialId) },
			brokerFor(context, serverUrl),
		);
	}
	const credentials = (await context.getCredentials(RINGCENTRAL_CREDENTIAL)) as unknown as RingCentralCredentials;
	return getRingCentralClient(credentials);
}
