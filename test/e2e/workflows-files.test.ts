/**
 * The template files as shipped, without n8n: in sync with their sources, importable shapes (no `active`,
 * stable webhook ids, credentials by type with placeholder names), the path/method contracts the callers
 * are configured with, notes that tell the admin what to do, and present in the npm package.
 */
import { execFileSync } from 'child_process';
import { TEMPLATES } from '../../workflows/build';
import { REPO_ROOT } from './harness';
import { TEMPLATE_FILES, credentialRefs, loadTemplate, type TemplateKey, type TemplateJson } from './browser/templates';

const KEYS = Object.keys(TEMPLATE_FILES) as TemplateKey[];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PKG = 'n8n-nodes-ringcentral-sms.';

const webhooks = (t: TemplateJson) => t.nodes.filter((n) => n.webhookId);
const notes = (t: TemplateJson) =>
	t.nodes
		.filter((n) => n.type === 'n8n-nodes-base.stickyNote')
		.map((n) => String(n.parameters.content))
		.join('\n');

test('every workflows/*.json is exactly what its source in workflows/build writes', () => {
	const built = new Map(TEMPLATES.map((make) => make()).map((t) => [`${t.slug}.json`, JSON.parse(JSON.stringify(t.toJSON()))]));
	expect([...built.keys()].sort()).toEqual(Object.values(TEMPLATE_FILES).sort());
	for (const key of KEYS) expect(loadTemplate(key)).toEqual(built.get(TEMPLATE_FILES[key]));
});

describe.each(KEYS)('%s', (key) => {
	const t = loadTemplate(key);

	test('imports as an inactive workflow: no active flag, unique node names and ids, connections between existing nodes', () => {
		expect(t).not.toHaveProperty('active');
		expect(t.id).toMatch(/^[0-9A-Za-z]{16}$/);
		const names = t.nodes.map((n) => n.name);
		expect(new Set(names).size).toBe(names.length);
		expect(new Set(t.nodes.map((n: any) => n.id)).size).toBe(names.length);
		for (const [from, byType] of Object.entries(t.connections as Record<string, { main: Array<Array<{ node: string }>> }>)) {
			expect(names).toContain(from);
			for (const target of byType.main.flat()) expect(names).toContain(target.node);
		}
	});

	test('uses this package\'s nodes by their installed names, and only stock n8n nodes besides', () => {
		expect(t.nodes.some((n) => n.type.startsWith(PKG))).toBe(true);
		for (const n of t.nodes) expect(n.type.startsWith(PKG) || n.type.startsWith('n8n-nodes-base.')).toBe(true);
	});

	test('webhooks have stable, distinct UUID webhookIds (or the template starts on a schedule)', () => {
		const scheduled = t.nodes.some((n) => n.type === 'n8n-nodes-base.scheduleTrigger');
		expect(scheduled || webhooks(t).length > 0).toBe(true);
		for (const n of webhooks(t)) expect(n.webhookId).toMatch(UUID);
		expect(new Set(webhooks(t).map((n) => n.webhookId)).size).toBe(webhooks(t).length);
	});

	test('credentials are referenced by type with a placeholder name; the notes say which to pick', () => {
		const refs = credentialRefs([t]);
		// Every template texts through RingCentral, except single sign-on, which only checks passwords.
		expect(refs.has('ringCentralJwtApi') || refs.has('directoryApi')).toBe(true);
		for (const [type, ref] of refs) {
			expect(ref.id).toMatch(/^[0-9A-Za-z]{16}$/);
			expect(ref.name.length).toBeGreaterThan(3);
			const label = { ringCentralJwtApi: 'RingCentral JWT API', otpStoreApi: 'OTP Store', smsGatewayAuthApi: 'SMS Gateway Auth', postgres: 'Postgres', httpHeaderAuth: 'Header Auth', directoryApi: 'Directory' }[type];
			expect(notes(t)).toContain(label);
		}
		expect(notes(t)).toMatch(/\*\*Publish\*\*/);
	});
});

test('the caller contracts: paths, methods and where the notes point the caller', () => {
	// Webhooks with a path the caller types (the RingCentral Trigger's address is registered by the node itself).
	const paths = (key: TemplateKey) => webhooks(loadTemplate(key)).filter((n) => n.parameters.path !== undefined).map((n) => [n.parameters.path, n.parameters.httpMethod ?? 'GET,POST']);
	expect(paths('manageEngine')).toEqual([['ringcentral/manageengine', 'GET,POST']]);
	expect(paths('axigen')).toEqual([['ringcentral/axigen', 'GET,POST']]);
	expect(paths('privacyIdea')).toEqual([['ringcentral/privacyidea', 'GET,POST']]);
	expect(paths('genesys')).toEqual([
		['ringcentral/genesys/contact-methods', ['GET', 'POST']],
		['ringcentral/genesys/send-code', ['GET', 'POST']],
		['ringcentral/genesys/verify-code', ['GET', 'POST']],
	]);
	expect(paths('otpApi')).toEqual([
		['otp/send', 'POST'],
		['otp/verify', 'POST'],
	]);
	for (const key of KEYS) for (const [path] of paths(key)) expect(notes(loadTemplate(key))).toContain(String(path).split('/').slice(0, 2).join('/'));
	// ManageEngine is told exactly what to type; the OTP templates say when memory is not enough.
	expect(notes(loadTemplate('manageEngine'))).toMatch(/Success response\*\*: `success`[\s\S]*Failure response\*\*: `failure`/);
	expect(notes(loadTemplate('manageEngine'))).toContain('mobileNumber=%mobNo%&message=%message%');
	expect(notes(loadTemplate('privacyIdea'))).toMatch(/RETURN_SUCCESS\*\*: `SENT`/);
	for (const key of ['genesys', 'otpApi'] as const) expect(notes(loadTemplate(key))).toMatch(/Memory[\s\S]*Redis/);
	// The SSO Login Trigger registers POST only (no httpMethod parameter to set).
	expect(webhooks(loadTemplate('ringotel')).map((n) => [n.type, n.parameters.path, n.parameters.httpMethod])).toEqual([
		[`${PKG}ssoLoginTrigger`, 'ringotel/authorize', undefined],
		['n8n-nodes-base.webhook', 'ringotel/enrol', 'POST'],
		['n8n-nodes-base.webhook', 'ringotel/enrol/confirm', 'POST'],
	]);
	// Ringotel support is told the URL, request_auth and response_map; the password is never saved.
	expect(notes(loadTemplate('ringotel'))).toMatch(/request_auth[\s\S]*response_map[\s\S]*"values"/);
	expect(loadTemplate('ringotel').settings).toMatchObject({ saveDataSuccessExecution: 'none', saveDataErrorExecution: 'none' });
	// The call-log template names its table, the grants, and how to back-fill 30 days.
	expect(paths('callLog')).toEqual([]);
	expect(notes(loadTemplate('callLog'))).toMatch(/ringcentral_call_log[\s\S]*GRANT[\s\S]*Back-fill the last 30 days/);
	// The keyword template subscribes by itself, says what STOP does to every Send and where the list lives.
	expect(paths('keywords')).toEqual([]);
	expect(notes(loadTemplate('keywords'))).toMatch(/STOP[\s\S]*opted_out[\s\S]*Redis[\s\S]*ringcentral-sms-opt-outs\.json/);
	// The shipped directory account the Genesys admin replaces.
	const directory = loadTemplate('genesys').nodes.find((n) => n.name.startsWith('Account directory'));
	expect(directory?.parameters.jsCode).toContain("'100200300': '+16505550123'");
});

test('the npm package ships every template and not their sources', () => {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
	const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
	for (const file of Object.values(TEMPLATE_FILES)) expect(files).toContain(`workflows/${file}`);
	expect(files.filter((f) => f.startsWith('workflows/build'))).toEqual([]);
});
