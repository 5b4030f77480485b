/**
 * The SMS-gateway wiring the gateway templates share (nodes/SmsGatewayTrigger, nodes/SmsGatewayReply):
 * SMS Gateway Trigger → RingCentral Send SMS (Settings → On Error: Continue) → SMS Gateway Reply. A refused or
 * timed-out send reaches the Reply node as an item with `error`, so the caller gets its failure reply instead
 * of n8n's generic 500. Trigger fields are per preset: `<field>_<presetId>`.
 */
import { PKG, type CredentialType, type Params, type Template } from './lib';

export interface TriggerOptions {
	path: string;
	preset: string;
	/** Overrides of the preset's own fields (successBody, failureBody, replyTiming, …) without the suffix. */
	fields?: Record<string, string | number>;
	/**
	 * The caller credential (SMS Gateway Auth) the template ships with: every gateway template authenticates
	 * its caller, with what that caller can send. `id`/`name` give the template a credential of its own when
	 * its kind (query token, Basic) differs from the others'.
	 */
	auth: { id: string; name: string } | 'shared';
	duplicateWindowSeconds?: number;
}

export function gatewayTrigger(t: Template, name: string, position: [number, number], o: TriggerOptions): string {
	const params: Params = { path: o.path, preset: o.preset, authentication: 'smsGatewayAuthApi' };
	for (const [field, value] of Object.entries(o.fields ?? {})) params[`${field}_${o.preset}`] = value;
	params.gatewayOptions = o.duplicateWindowSeconds ? { duplicateWindowSeconds: o.duplicateWindowSeconds } : {};
	const credentials: CredentialType[] = ['smsGatewayAuthApi'];
	const credentialRefs = o.auth === 'shared' ? undefined : { smsGatewayAuthApi: o.auth };
	return t.node(name, `${PKG}.smsGatewayTrigger`, 1, position, params, { webhook: true, credentials, credentialRefs });
}

export function sendSms(
	t: Template,
	name: string,
	position: [number, number],
	o: { from?: string; to?: string; text?: string; timeoutSeconds: number },
): string {
	return t.node(
		name,
		`${PKG}.ringCentral`,
		1,
		position,
		{
			resource: 'sms',
			operation: 'send',
			from: o.from ?? 'auto',
			to: o.to ?? '={{ $json.to }}',
			text: o.text ?? '={{ $json.text }}',
			options: { timeoutSeconds: o.timeoutSeconds },
		},
		{ credentials: ['ringCentralJwtApi'], onError: 'continueRegularOutput' },
	);
}

export function gatewayReply(t: Template, name: string, position: [number, number]): string {
	return t.node(name, `${PKG}.smsGatewayReply`, 1, position, { replyFormat: 'trigger' });
}
