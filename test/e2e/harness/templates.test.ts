/**
 * How `npm start` reads workflow templates: credential references, webhook endpoints and sample curls.
 */
import { execFileSync } from 'child_process';
import { credentialRefs, rewriteCredentialRefs, sampleCurl, webhookEndpoints, type WorkflowJson } from '../../../scripts/templates';

const wf: WorkflowJson = {
	id: 'wf1',
	name: 'Demo',
	nodes: [
		{ name: 'Hook', type: 'n8n-nodes-base.webhook', webhookId: 'w1', parameters: { httpMethod: ['GET', 'POST'], multipleMethods: true, path: '/sms/send' } },
		{ name: 'Plain', type: 'n8n-nodes-base.webhook', webhookId: 'w2', parameters: { path: 'plain' } },
		{ name: 'Off', type: 'n8n-nodes-base.webhook', webhookId: 'w3', disabled: true, parameters: { path: 'off' } },
		{ name: 'Send', type: 'n8n-nodes-ringcentral-sms.ringCentral', credentials: { ringCentralJwtApi: { id: 'placeholder1', name: 'RingCentral account' } } },
		{ name: 'Otp', type: 'n8n-nodes-ringcentral-sms.otpGenerate', credentials: { ringCentralJwtApi: { id: 'placeholder1', name: 'x' }, otpStoreApi: { id: 'store', name: 'OTP store' } } },
	],
};

describe('npm start template handling', () => {
	it('collects each distinct credential reference once', () => {
		expect(credentialRefs([wf])).toEqual([
			{ type: 'ringCentralJwtApi', id: 'placeholder1', name: 'RingCentral account' },
			{ type: 'otpStoreApi', id: 'store', name: 'OTP store' },
		]);
	});

	it('points references at the imported credential of the same type and leaves the input untouched', () => {
		const out = rewriteCredentialRefs(wf, [{ type: 'ringCentralJwtApi', id: 'importedRc', name: 'RC demo' }]);
		expect(out.nodes[3].credentials).toEqual({ ringCentralJwtApi: { id: 'importedRc', name: 'RC demo' } });
		// No imported otpStoreApi: that reference stays for the user to fill in the editor.
		expect(out.nodes[4].credentials?.otpStoreApi).toEqual({ id: 'store', name: 'OTP store' });
		expect(wf.nodes[3].credentials?.ringCentralJwtApi.id).toBe('placeholder1');
	});

	it('lists enabled webhook endpoints with their methods (default GET)', () => {
		expect(webhookEndpoints(wf)).toEqual([
			{ node: 'Hook', path: 'sms/send', methods: ['GET', 'POST'] },
			{ node: 'Plain', path: 'plain', methods: ['GET'] },
		]);
	});

	it('builds curl commands a shell parses back into the intended request', () => {
		const cmd = sampleCurl('http://127.0.0.1:5678', {
			title: 't',
			method: 'POST',
			path: 'otp/send',
			query: { to: '+1 650' },
			contentType: 'json',
			body: { note: "it's" },
			basicAuth: { user: 'u', password: 'p w' },
		});
		// Let a real shell split it: quoting mistakes show up as wrong argv.
		const argv = JSON.parse(execFileSync('sh', ['-c', `node -e 'console.log(JSON.stringify(process.argv.slice(1)))' -- ${cmd.replace(/^curl /, '')}`]).toString());
		expect(argv).toEqual([
			'-sS', '-i', '-X', 'POST', '-u', 'u:p w', '-H', 'Content-Type: application/json', '--data', '{"note":"it\'s"}',
			'http://127.0.0.1:5678/webhook/otp/send?to=%2B1+650',
		]);
	});

	it('sends form bodies url-encoded field by field', () => {
		const cmd = sampleCurl('http://h', { title: 't', method: 'POST', path: 'x', contentType: 'form', body: { a: '1&2' } });
		expect(cmd).toContain(`--data-urlencode 'a=1&2'`);
	});
});
