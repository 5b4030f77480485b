import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { createTotpSecret, normalizeIdentifier, verifyTotp, type TotpAlgorithm, type TotpSettings } from '../../lib/otp';
import { OTP_CREDENTIAL, asNodeError, otpStoreApiTest, storeAndPepperOf } from '../OtpGenerate/shared';
import { totpProperties } from './description';

interface SettingsInput {
	algorithm?: TotpAlgorithm;
	digits?: 6 | 7 | 8;
	period?: number;
}

interface VerifyInput extends SettingsInput {
	defaultCountry?: string;
	identifierType?: 'auto' | 'phone' | 'text';
	failureCeiling?: number;
	lockoutMinutes?: number;
	window?: number;
}

const settingsOf = (o: SettingsInput): Partial<TotpSettings> => ({ algorithm: o.algorithm, digits: o.digits === undefined ? undefined : (Number(o.digits) as 6 | 7 | 8), period: o.period });

/**
 * Authenticator apps, the factor NIST prefers to SMS. Create Secret needs no credential; Verify Code
 * uses the OTP Store to refuse a time step that was already accepted and to count failures.
 * Verify has two outputs, Approved and Denied (reason: wrong, replayed, too_many_attempts, malformed);
 * Create Secret uses the first.
 */
export class Totp implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TOTP',
		name: 'totp',
		icon: 'file:totp.svg',
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "verify" ? "verify code" : "create secret"}}',
		description: 'Authenticator-app codes: create a secret with QR code, verify codes once',
		defaults: { name: 'TOTP' },
		inputs: ['main'],
		// Two outputs on purpose (Approved, Denied); the rule assumes every node has one.
		// eslint-disable-next-line n8n-nodes-base/node-class-description-outputs-wrong
		outputs: ['main', 'main'],
		outputNames: ['Approved / Created', 'Denied'],
		credentials: [{ name: OTP_CREDENTIAL, required: true, testedBy: 'otpStoreApiTest', displayOptions: { show: { operation: ['verify'] } } }],
		properties: totpProperties,
	};

	methods = { credentialTest: { otpStoreApiTest } };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const first: INodeExecutionData[] = [];
		const denied: INodeExecutionData[] = [];
		const operation = this.getNodeParameter('operation', 0) as string;
		const verifier = operation === 'verify' ? await storeAndPepperOf(this) : undefined;
		for (let i = 0; i < items.length; i++) {
			try {
				if (operation === 'createSecret') {
					const options = this.getNodeParameter('options', i, {}) as SettingsInput;
					const issuer = String(this.getNodeParameter('issuer', i, ''));
					const account = String(this.getNodeParameter('account', i, ''));
					const binaryField = String(this.getNodeParameter('binaryPropertyName', i, 'qrCode')) || 'qrCode';
					const enrollment = await createTotpSecret({ issuer, account, ...settingsOf(options) }).catch((error: Error) => {
						throw new NodeOperationError(this.getNode(), error.message, { itemIndex: i });
					});
					const binary = await this.helpers.prepareBinaryData(enrollment.qrPng, 'totp-qr.png', 'image/png');
					first.push({
						json: { issuer, account, secret: enrollment.secret, uri: enrollment.uri, qrDataUrl: enrollment.qrDataUrl },
						binary: { [binaryField]: binary },
						pairedItem: { item: i },
					});
					continue;
				}
				const options = this.getNodeParameter('verifyOptions', i, {}) as VerifyInput;
				const identifier = normalizeIdentifier(this.getNodeParameter('identifier', i, '') as unknown, {
					type: options.identifierType ?? 'auto',
					defaultCountry: options.defaultCountry ?? 'US',
				});
				if (!identifier.ok) {
					denied.push({ json: { approved: false, reason: 'malformed', detail: `identifier: ${identifier.reason}` }, pairedItem: { item: i } });
					continue;
				}
				const { store, pepper } = verifier as NonNullable<typeof verifier>;
				const outcome = await verifyTotp(store, pepper, {
					identifier: identifier.value,
					secret: String(this.getNodeParameter('secret', i, '')),
					token: this.getNodeParameter('code', i, '') as unknown,
					settings: settingsOf(options),
					window: options.window,
					failureCeiling: options.failureCeiling,
					lockoutMs: options.lockoutMinutes === undefined ? undefined : options.lockoutMinutes * 60_000,
				});
				const json: IDataObject = { approved: outcome.approved, identifier: identifier.masked };
				if (outcome.approved) first.push({ json, pairedItem: { item: i } });
				else denied.push({ json: { ...json, reason: outcome.reason }, pairedItem: { item: i } });
			} catch (error) {
				const failure = asNodeError(this, error, i);
				if (this.continueOnFail()) {
					// Verify errors go to Denied so they can never pass for an approval.
					(operation === 'verify' ? denied : first).push({ json: { error: failure.message }, error: failure, pairedItem: { item: i } });
					continue;
				}
				throw failure;
			}
		}
		return [first, denied];
	}
}
