/** How the node reaches the package's single RingCentral transport (`lib/ringcentral`). */
import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { getRingCentralClient, type RingCentralClient, type RingCentralCredentials } from '../../lib/ringcentral';

export const CREDENTIAL_TYPE = 'ringCentralJwtApi';

export async function clientFor(context: IExecuteFunctions | ILoadOptionsFunctions): Promise<RingCentralClient> {
	const credentials = (await context.getCredentials(CREDENTIAL_TYPE)) as unknown as RingCentralCredentials;
	return getRingCentralClient(credentials);
}
