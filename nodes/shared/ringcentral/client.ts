/** How every node reaches the package's single RingCentral transport (`lib/ringcentral`). */
import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { getRingCentralClient, type RingCentralClient, type RingCentralCredentials } from '../../../lib/ringcentral';

export const RINGCENTRAL_CREDENTIAL = 'ringCentralJwtApi';

export async function clientFor(context: IExecuteFunctions | ILoadOptionsFunctions): Promise<RingCentralClient> {
	const credentials = (await context.getCredentials(RINGCENTRAL_CREDENTIAL)) as unknown as RingCentralCredentials;
	return getRingCentralClient(credentials);
}
