/**
 * The bundled templates as the end-to-end and browser tests load them: straight from `workflows/*.json`,
 * with credentials created under the ids the templates themselves reference (so the tests prove the files
 * as shipped, not a rewritten copy).
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { SIM_DEFAULTS } from '../../../simulator';
import { MANAGEENGINE_CREDENTIAL } from '../../../workflows/build/manageengine';
import { PRIVACYIDEA_CREDENTIAL } from '../../../workflows/build/privacyidea';
import { RINGOTEL_CREDENTIAL } from '../../../workflows/build/ringotel';
import { REPO_ROOT } from '../harness';

export const TEMPLATE_FILES = {
	manageEngine: 'manageengine-adselfservice-sms.json',
	axigen: 'axigen-sms-connector.json',
	privacyIdea: 'privacyidea-sms-gateway.json',
	genesys: 'genesys-ia-two-factor.json',
	otpApi: 'otp-sms-api.json',
	callLog: 'call-log-to-postgres.json',
	keywords: 'inbound-sms-keywords.json',
	ringotel: 'ringotel-sso.json',
} as const;
export type TemplateKey = keyof typeof TEMPLATE_FILES;

export interface TemplateNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, any>;
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
}

export interface TemplateJson {
	id: string;
	name: string;
	nodes: TemplateNode[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export function templatePath(key: TemplateKey): string {
	return path.join(REPO_ROOT, 'workflows', TEMPLATE_FILES[key]);
}

export function loadTemplate(key: TemplateKey): TemplateJson {
	return JSON.parse(fs.readFileSync(templatePath(key), 'utf8')) as TemplateJson;
}

/**
 * Every credential reference of the templates, by type and id: a type may have several credentials (the
 * gateway templates each authenticate their own caller), but one id always has one name.
 */
export function credentialRefsById(templates: TemplateJson[]): Array<{ type: string; id: string; name: string }> {
	const refs = new Map<string, { type: string; id: string; name: string }>();
	for (const t of templates) {
		for (const node of t.nodes) {
			for (const [type, ref] of Object.entries(node.credentials ?? {})) {
				const seen = refs.get(ref.id);
				if (seen && (seen.type !== type || seen.name !== ref.name)) throw new Error(`${t.name}: credential ${ref.id} is ${type}/${ref.name}, elsewhere ${seen.type}/${seen.name}`);
				refs.set(ref.id, { type, id: ref.id, name: ref.name });
			}
		}
	}
	return [...refs.values()];
}

/** Every credential reference of the templates, by type; one id and name per type across all of them. */
export function credentialRefs(templates: TemplateJson[]): Map<string, { id: string; name: string }> {
	const refs = new Map<string, { id: string; name: string }>();
	for (const t of templates) {
		for (const node of t.nodes) {
			for (const [type, ref] of Object.entries(node.credentials ?? {})) {
				const seen = refs.get(type);
				if (seen && (seen.id !== ref.id || seen.name !== ref.name)) {
					throw new Error(`${t.name}: credential ${type} is ${ref.id}/${ref.name}, elsewhere ${seen.id}/${seen.name}`);
				}
				refs.set(type, ref);
			}
		}
	}
	return refs;
}

export const GATEWAY_CALLER = { user: 'axigen', password: `pw-${randomBytes(6).toString('hex')}` };
/** ManageEngine's token, sent in its Parameters string (`…&token=<token>`). */
export const MANAGEENGINE_TOKEN = `me-${randomBytes(12).toString('hex')}`;
/** The OTP API's header token (n8n Header Auth credential). */
export const OTP_API_TOKEN = `otp-${randomBytes(12).toString('hex')}`;
export const OTP_API_HEADERS = { 'x-api-key': OTP_API_TOKEN };
/** Ringotel's request_auth (Basic). */
export const RINGOTEL_CALLER = { user: 'ringotel', password: `ro-${randomBytes(6).toString('hex')}` };
/** privacyIDEA's HttpSMSProvider USERNAME/PASSWORD. */
export const PRIVACYIDEA_CALLER = { user: 'privacyidea', password: `pi-${randomBytes(6).toString('hex')}` };

/** Credentials for every type the templates use: RingCentral → the simulator, OTP → memory store. */
export function templateCredentials(templates: TemplateJson[], simUrl: string): object[] {
	const data: Record<string, Record<string, unknown>> = {
		ringCentralJwtApi: { serverUrl: simUrl, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt },
		otpStoreApi: { pepper: randomBytes(32).toString('hex'), storeType: 'memory' },
		smsGatewayAuthApi: { authType: 'basicAuth', user: GATEWAY_CALLER.user, password: GATEWAY_CALLER.password, token: '', name: '' },
		// The machine's PostgreSQL (trust auth); tests that write create a database of their own.
		postgres: { host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres', password: '', ssl: 'disable' },
		httpHeaderAuth: { name: 'X-Api-Key', value: OTP_API_TOKEN },
		// Nothing listens here: tests that sign in start their own slapd and update this credential.
		directoryApi: { url: 'ldap://127.0.0.1:9', startTls: false, bindDn: 'cn=reader,dc=example,dc=test', bindPassword: 'placeholder', searchBase: 'dc=example,dc=test', userFilter: '(uid={username})' },
	};
	const byId: Record<string, Record<string, unknown>> = {
		[MANAGEENGINE_CREDENTIAL.id]: { authType: 'query', name: 'token', token: MANAGEENGINE_TOKEN, user: '', password: '' },
		[PRIVACYIDEA_CREDENTIAL.id]: { authType: 'basicAuth', user: PRIVACYIDEA_CALLER.user, password: PRIVACYIDEA_CALLER.password, token: '', name: '' },
		[RINGOTEL_CREDENTIAL.id]: { authType: 'basicAuth', user: RINGOTEL_CALLER.user, password: RINGOTEL_CALLER.password, token: '', name: '' },
	};
	return credentialRefsById(templates).map(({ type, id, name }) => {
		const d = byId[id] ?? data[type];
		if (!d) throw new Error(`No test credential for type ${type}`);
		return { id, name, type, data: d };
	});
}

/** Environment for a test n8n: no pacing limits from the transport (the simulator enforces none either). */
export const TEMPLATE_TEST_ENV = { N8N_RINGCENTRAL_SMS_PER_MINUTE: '100000', N8N_RINGCENTRAL_LIGHT_PER_MINUTE: '100000' };
