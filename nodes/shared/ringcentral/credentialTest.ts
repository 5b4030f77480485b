import type { ICredentialTestFunctions, ICredentialsDecrypted, INodeCredentialTestResult } from 'n8n-workflow';
import { RingCentralApiError, getRingCentralClient, type RingCentralCredentials } from '../../../lib/ringcentral';

/**
 * Really logs in with the JWT, reads the extension and checks the SMS permission, then says in plain
 * words what is wrong. The session it opens is the shared one, so a passing test costs no extra login
 * when the workflow runs.
 */
export async function ringCentralJwtApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = (credential.data ?? {}) as unknown as RingCentralCredentials;
	try {
		const client = getRingCentralClient(data);
		const { scope } = await client.authenticate();
		const extension = await client.getExtension({ timeoutMs: 15000 });
		const who = `extension ${extension.extensionNumber ?? extension.id}${extension.name ? ` (${extension.name})` : ''}`;
		if (scope.length > 0 && !scope.includes('SMS')) {
			return {
				status: 'Error',
				message: `Logged in as ${who}, but the app lacks the SMS permission (it has: ${scope.join(', ')}). Add SMS, ReadMessages and ReadAccounts to the app in the Developer Console.`,
			};
		}
		let senders: string[] = [];
		try {
			senders = await client.getSmsSenders({ timeoutMs: 15000 });
		} catch {
			// Reading numbers needs ReadAccounts; the login itself worked.
		}
		const numbers = senders.length
			? `SMS numbers: ${senders.join(', ')}`
			: 'but it has no SMS-enabled number (feature SmsSender) — sending will fail until one is assigned';
		return { status: 'OK', message: `Connected as ${who}; ${numbers}.` };
	} catch (error) {
		const message = error instanceof RingCentralApiError ? error.message : 'RingCentral could not be reached with these settings.';
		return { status: 'Error', message };
	}
}
