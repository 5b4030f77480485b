import type { ICredentialTestFunctions, ICredentialsDecrypted, IExecuteFunctions, INodeCredentialTestResult, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { directoryConfig, testDirectory, type DirectoryCredential } from '../../lib/directory';
import { OTP_CREDENTIAL, otpStoreApiTest } from '../shared/otp';
import { runItems } from '../shared/runner';
import { directoryLoginProperties } from './description';
import { DIRECTORY_CREDENTIAL, loginItem, loginSetup } from './login';

export { APPROVED, DENIED } from './login';

async function directoryApiTest(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
	try {
		return { status: 'OK', message: await testDirectory(directoryConfig((credential.data ?? {}) as DirectoryCredential)) };
	} catch (error) {
		return { status: 'Error', message: (error as Error).message };
	}
}

/**
 * Checks a username and password against LDAP or Active Directory by binding as the user, which n8n's
 * LDAP node cannot do. A node of its own rather than an operation of another: it has its own credential,
 * its own outputs (Denied, Approved) and its own failure counting, and shares nothing with the SMS nodes.
 *
 * Denied carries `reason` (wrong_password, unknown_user, locked, locked_out, empty_password, …) for the
 * author; the caller should get one answer for all of them. A directory that cannot be reached fails
 * the item with reason `directory_unavailable` (On Error decides where it goes) and never approves.
 */
export class DirectoryLogin implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Directory Login',
		name: 'directoryLogin',
		icon: 'file:directoryLogin.svg',
		group: ['transform'],
		version: 1,
		description: 'Check a username and password against LDAP or Active Directory (search, then bind as the user)',
		defaults: { name: 'Directory Login' },
		inputs: ['main'],
		// Two outputs on purpose (like n8n's If node); the rule assumes every node has one.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: ['main', 'main'],
		outputNames: ['Denied', 'Approved'],
		credentials: [
			{ name: DIRECTORY_CREDENTIAL, required: true, testedBy: 'directoryApiTest' },
			{ name: OTP_CREDENTIAL, required: true, testedBy: 'otpStoreApiTest', displayOptions: { show: { bruteForceProtection: [true] } } },
		],
		properties: directoryLoginProperties,
	};

	methods = { credentialTest: { directoryApiTest, otpStoreApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runItems(this, {
			outputs: 2,
			setup: loginSetup,
			item: loginItem,
			notRetryable: () => 'a retry would try the password again (failed logins are counted toward the lockout).',
			failureFields: { approved: false },
		});
	}
}
