/**
 * The whole two-way loop in a real browser (Debian Chromium + playwright-core): n8n sends an SMS, it shows
 * on the simulator's phone page with its delivery status, a person texts back from the page, and the
 * RingCentral Trigger's workflow runs with that text. A screenshot of the page after the round trip is
 * saved (docs/screenshots/ with UPDATE_SCREENSHOTS=1). Cost: one n8n start, ~40 s.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../simulator';
import { chromiumAvailable, launchChromium } from './browser/editor';
import { E2E_TIMEOUT_MS, PACKAGE_NODE_PREFIX, REPO_ROOT, newId, startN8n, waitFor, type N8nInstance } from './harness';

const SCREENSHOT_DIR =
	process.env.UPDATE_SCREENSHOTS === '1' ? path.join(REPO_ROOT, 'docs', 'screenshots') : path.join(os.tmpdir(), 'n8n-rc-e2e', 'screenshots');
const SEND_PATH = 'e2e/phone/send';
const PERSON = '+14155550142';
const OUR_NUMBER = SIM_DEFAULTS.smsNumbers[0];
const credentialId = newId();
const triggerWorkflowId = newId();
const sendWorkflowId = newId();

let sim: Simulator;
let n8n: N8nInstance;
let browser: Browser;
let page: Page;

const credential = () => ({ ringCentralJwtApi: { id: credentialId, name: 'RingCentral (simulator)' } });

const workflows = () => [
	{
		id: sendWorkflowId,
		name: 'Phone page: Webhook → Send SMS',
		nodes: [
			{ id: 'c0000000-0000-4000-8000-000000000001', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: 'c0000000-0000-4000-8000-0000000000c1', parameters: { httpMethod: 'POST', path: SEND_PATH, responseMode: 'lastNode', responseData: 'allEntries', options: {} } },
			{
				id: 'c0000000-0000-4000-8000-000000000002',
				name: 'Send SMS',
				type: `${PACKAGE_NODE_PREFIX}.ringCentral`,
				typeVersion: 1,
				position: [220, 0],
				credentials: credential(),
				parameters: { resource: 'sms', operation: 'send', from: OUR_NUMBER, to: '={{ $json.body.to }}', text: '={{ $json.body.text }}', options: {} },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Send SMS', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	},
	{
		id: triggerWorkflowId,
		name: 'Phone page: RingCentral Trigger',
		nodes: [
			{ id: 'c0000000-0000-4000-8000-000000000011', name: 'RingCentral Trigger', type: `${PACKAGE_NODE_PREFIX}.ringCentralTrigger`, typeVersion: 1, position: [0, 0], webhookId: 'c0000000-0000-4000-8000-0000000000c2', credentials: credential(), parameters: { events: ['inboundSms', 'inboundMms'], options: {} } },
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	},
];

beforeAll(async () => {
	if (!chromiumAvailable()) throw new Error('Chromium is missing at /usr/bin/chromium: apt-get install -y chromium');
	sim = await startSimulator({ port: 0, config: { statusDelays: { sentMs: 300, deliveredMs: 700 } } });
	n8n = await startN8n({
		workflows: workflows(),
		credentials: [{ id: credentialId, name: 'RingCentral (simulator)', type: 'ringCentralJwtApi', data: { serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt } }],
	});
	browser = await launchChromium();
	page = await browser.newPage({ viewport: { width: 1000, height: 820 } });
}, E2E_TIMEOUT_MS);

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	await sim?.close();
});

test('send from n8n, see it on the phone page with its status, text back from the page, see the trigger run', async () => {
	const res = await fetch(n8n.webhookUrl(SEND_PATH), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to: PERSON, text: 'Your parcel is out for delivery. Reply with a time that suits you.' }) });
	expect(res.status).toBe(200);

	await page.goto(`${sim.url}/_sim/phone?number=${encodeURIComponent(OUR_NUMBER)}&party=${encodeURIComponent(PERSON)}`);
	const sent = page.locator('[data-testid=bubble][data-direction=Outbound]', { hasText: 'Your parcel is out for delivery' });
	await sent.waitFor({ timeout: 30_000 });
	// The status follows the simulator's timeline: Queued → Sent → Delivered.
	await page.locator('[data-testid=status]', { hasText: 'Delivered' }).first().waitFor({ timeout: 30_000 });

	await page.fill('[data-testid=reply-text]', 'After 5 pm please');
	await page.click('[data-testid=reply-send]');
	await page.locator('[data-testid=bubble][data-direction=Inbound]', { hasText: 'After 5 pm please' }).waitFor({ timeout: 30_000 });
	await page.locator('[data-testid=status]', { hasText: 'delivered to webhook' }).waitFor({ timeout: 30_000 });

	const execution = await waitFor(
		async () => {
			const [last] = await n8n.rest.listExecutions({ workflowId: triggerWorkflowId });
			if (!last) return undefined;
			const detail = await n8n.rest.getExecution(last.id);
			return detail.data?.resultData?.runData?.['RingCentral Trigger']?.[0]?.data?.main?.[0]?.[0]?.json;
		},
		30_000,
		() => new Error('the trigger did not run'),
	);
	expect(execution).toMatchObject({ from: PERSON, to: OUR_NUMBER, text: 'After 5 pm please', direction: 'Inbound' });

	fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
	const file = path.join(SCREENSHOT_DIR, 'simulator-phone.png');
	await page.screenshot({ path: file });
	expect(fs.statSync(file).size).toBeGreaterThan(10_000);
}, 120_000);
