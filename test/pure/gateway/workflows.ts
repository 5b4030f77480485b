/**
 * Workflows for the gateway end-to-end tests (regular and queue mode): SMS Gateway Trigger → RingCentral
 * Send with "On Error: Continue (regular output)" → SMS Gateway Reply — the wiring the templates use.
 */
import { SIM_DEFAULTS } from '../../../simulator';

export const PACKAGE_NODE_PREFIX = 'n8n-nodes-ringcentral-sms';
export const SENDER = SIM_DEFAULTS.smsNumbers[0];
export const SMS_PATH = '/restapi/v1.0/account/~/extension/~/sms';

export const QUERY_TOKEN = 'q-secret-token-7f3a9c';

/** RingCentral (simulator), a Basic-auth caller credential and, if asked, a query-token one (parameter `key`). */
export function gatewayCredentials(simUrl: string, rcCredentialId: string, authCredentialId: string, queryCredentialId?: string) {
	return [
		{
			id: rcCredentialId,
			name: 'RingCentral (simulator)',
			type: 'ringCentralJwtApi',
			data: { serverUrl: simUrl, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt },
		},
		{ id: authCredentialId, name: 'Gateway caller (e2e)', type: 'smsGatewayAuthApi', data: { authType: 'basicAuth', user: 'manageengine', password: 'e2e-pass-123' } },
		...(queryCredentialId
			? [{ id: queryCredentialId, name: 'Gateway caller, query token (e2e)', type: 'smsGatewayAuthApi', data: { authType: 'query', name: 'key', token: QUERY_TOKEN } }]
			: []),
	];
}

let seq = 0;
const uuid = () => `0a0b0c0d-0000-4000-8000-${String(++seq).padStart(12, '0')}`;

export interface GatewayWorkflowOptions {
	path: string;
	preset: string;
	/** Extra trigger parameters (e.g. replyTiming_generic, gatewayOptions). */
	trigger?: Record<string, unknown>;
	auth?: boolean;
	/** Use this caller credential instead of the Basic one. */
	authCredential?: { id: string; name: string };
	/** RingCentral node time budget (seconds): templates set it below the caller's own timeout. */
	timeoutSeconds?: number;
}

/** The wiring the templates use: RingCentral "On Error: Continue" so failures reach the Reply node as items. */
export function gatewayWorkflow(newId: () => string, ids: { rc: string; auth: string }, o: GatewayWorkflowOptions) {
	return {
		id: newId(),
		name: `Gateway ${o.path} (e2e)`,
		nodes: [
			{
				id: uuid(),
				name: 'SMS Gateway Trigger',
				type: `${PACKAGE_NODE_PREFIX}.smsGatewayTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId: uuid(),
				// Without a caller credential the trigger serves nobody unless told to (secure by default); these
				// test workflows without one opt in, as a user would after reading the warning.
				parameters: { path: o.path, preset: o.preset, ...(o.auth ? { authentication: 'smsGatewayAuthApi' } : { allowAnyone: true }), ...(o.trigger ?? {}) },
				...(o.auth ? { credentials: { smsGatewayAuthApi: o.authCredential ?? { id: ids.auth, name: 'Gateway caller (e2e)' } } } : {}),
			},
			{
				id: uuid(),
				name: 'RingCentral',
				type: `${PACKAGE_NODE_PREFIX}.ringCentral`,
				typeVersion: 1,
				position: [220, 0],
				onError: 'continueRegularOutput',
				parameters: {
					resource: 'sms',
					operation: 'send',
					from: SENDER,
					to: '={{ $json.to }}',
					text: '={{ $json.text }}',
					options: { timeoutSeconds: o.timeoutSeconds ?? 10 },
				},
				credentials: { ringCentralJwtApi: { id: ids.rc, name: 'RingCentral (simulator)' } },
			},
			{
				id: uuid(),
				name: 'SMS Gateway Reply',
				type: `${PACKAGE_NODE_PREFIX}.smsGatewayReply`,
				typeVersion: 1,
				position: [440, 0],
				parameters: { replyFormat: 'trigger' },
			},
		],
		connections: {
			'SMS Gateway Trigger': { main: [[{ node: 'RingCentral', type: 'main', index: 0 }]] },
			RingCentral: { main: [[{ node: 'SMS Gateway Reply', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}


/** A mistake a user can make: no reply node. n8n would then answer 200 with no body ("sent" for Curity). */
export function withoutReply(w: ReturnType<typeof gatewayWorkflow>) {
	return { ...w, nodes: w.nodes.filter((n) => n.name !== 'SMS Gateway Reply'), connections: { 'SMS Gateway Trigger': w.connections['SMS Gateway Trigger'] } };
}
