/**
 * Proves the end-to-end harness on a real n8n: the packed package is installed as a community node, a
 * Webhook → Set workflow is imported, published and called over HTTP, and its saved execution is read back.
 */
import * as fs from 'fs';
import * as path from 'path';
import { E2E_TIMEOUT_MS, newId, nodeOutput, PACKAGE_NODE_PREFIX, startN8n, type N8nInstance } from './harness';

const ECHO_PATH = 'harness-echo';

const echoWorkflow = {
	id: newId(),
	name: 'Harness echo',
	nodes: [
		{
			id: 'c1d0e7c4-0000-4000-8000-000000000001',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2.1,
			position: [0, 0],
			webhookId: 'c1d0e7c4-0000-4000-8000-0000000000aa',
			parameters: { httpMethod: 'POST', path: ECHO_PATH, responseMode: 'lastNode', options: {} },
		},
		{
			id: 'c1d0e7c4-0000-4000-8000-000000000002',
			name: 'Greet',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: {
				assignments: {
					assignments: [
						{ id: 'a1', name: 'greeting', type: 'string', value: '={{ "hello " + $json.body.name }}' },
					],
				},
				options: {},
			},
		},
	],
	connections: { Webhook: { main: [[{ node: 'Greet', type: 'main', index: 0 }]] } },
	settings: { executionOrder: 'v1' },
};

const credentialId = newId();
const rcCredential = {
	id: credentialId,
	name: 'RingCentral (harness)',
	type: 'ringCentralJwtApi',
	data: {
		serverUrl: 'http://127.0.0.1:9',
		clientId: 'harness-client-id',
		clientSecret: 'harness-client-secret-value',
		jwt: 'harness.jwt.value',
	},
};

describe('end-to-end harness (real n8n with the packed package installed)', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await startN8n({ workflows: [echoWorkflow], credentials: [rcCredential] });
		process.stderr.write(`[e2e] harness timings (s): ${JSON.stringify(n8n.timings)}\n`);
	}, E2E_TIMEOUT_MS);

	afterAll(async () => {
		await n8n?.stop();
	}, 60_000);

	it('runs a published Webhook → Set workflow over HTTP and saves its execution', async () => {
		const res = await fetch(n8n.webhookUrl(ECHO_PATH), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Ada' }),
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ greeting: 'hello Ada' });

		const executions = await n8n.rest.listExecutions({ workflowId: echoWorkflow.id });
		expect(executions).toHaveLength(1);
		expect(executions[0].status).toBe('success');
		const detail = await n8n.rest.getExecution(executions[0].id);
		expect(nodeOutput(detail, 'Greet')).toEqual([expect.objectContaining({ greeting: 'hello Ada' })]);
		expect(detail.rawData).toContain('hello Ada');
	});

	it('reports the production webhooks n8n registered for the published workflow', async () => {
		const hooks = await n8n.registeredWebhooks();
		expect(hooks).toEqual([{ workflowId: echoWorkflow.id, webhookPath: ECHO_PATH, method: 'POST', node: 'Webhook' }]);
	});

	it('answers 404 for a path no published workflow registered', async () => {
		const res = await fetch(n8n.webhookUrl('no-such-path'), { method: 'POST' });
		expect(res.status).toBe(404);
	});

	it('lists the package node and credential types installed from the tarball', async () => {
		const nodeNames = (await n8n.rest.nodeTypes()).map((t) => t.name);
		expect(nodeNames).toContain(`${PACKAGE_NODE_PREFIX}.ringCentral`);
		const credentialNames = (await n8n.rest.credentialTypes()).map((t) => t.name);
		expect(credentialNames).toContain('ringCentralJwtApi');
	});

	it('imports credentials encrypted: the secret is not stored in clear text', async () => {
		const file = path.join(n8n.userFolder, 'exported-credential.json');
		await n8n.cli(['export:credentials', `--id=${credentialId}`, `--output=${file}`]);
		const stored = fs.readFileSync(file, 'utf8');
		expect(stored).toContain(credentialId);
		expect(stored).not.toContain('harness-client-secret-value');
	}, 180_000);

	it('keeps n8n-workflow out of the nodes folder (n8n must provide its own copy)', async () => {
		const nodesModules = path.join(n8n.userFolder, '.n8n', 'nodes', 'node_modules');
		expect(fs.existsSync(path.join(nodesModules, PACKAGE_NODE_PREFIX, 'package.json'))).toBe(true);
		expect(fs.existsSync(path.join(nodesModules, 'n8n-workflow'))).toBe(false);
	});
});

describe('end-to-end harness in queue mode (main + 2 workers, Redis + PostgreSQL)', () => {
	let n8n: N8nInstance;
	const queued = { ...echoWorkflow, id: newId(), name: 'Harness echo (queue)' };

	beforeAll(async () => {
		n8n = await startN8n({ workflows: [queued], queueMode: { workers: 2 } });
		process.stderr.write(`[e2e] queue-mode harness timings (s): ${JSON.stringify(n8n.timings)}\n`);
	}, E2E_TIMEOUT_MS);

	afterAll(async () => {
		await n8n?.stop();
	}, 60_000);

	it('runs webhook executions on the workers and saves them where the main process can read them', async () => {
		for (const name of ['Ada', 'Grace']) {
			const res = await fetch(n8n.webhookUrl(ECHO_PATH), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ name }),
			});
			expect(await res.json()).toMatchObject({ greeting: `hello ${name}` });
		}
		const executions = await n8n.rest.listExecutions({ workflowId: queued.id });
		expect(executions.map((e) => e.status)).toEqual(['success', 'success']);
		// Only workers log this line: the runs did not silently fall back to the main process.
		expect((n8n.logs().match(/Worker started execution/g) ?? []).length).toBe(2);
		const detail = await n8n.rest.getExecution(executions[0].id);
		expect(nodeOutput(detail, 'Greet')).toEqual([expect.objectContaining({ greeting: 'hello Grace' })]);
	});
});
