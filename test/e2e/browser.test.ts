/**
 * Each bundled template, imported through the n8n editor's own "Import from file" in a real n8n with the
 * package installed, shows every node as a known, installed node with no issue flagged (credentials of the
 * referenced ids exist, as after a user picks them). A screenshot of each canvas is saved (docs/screenshots/
 * with UPDATE_SCREENSHOTS=1).
 * A deliberately broken copy proves the checks see what a user would see.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { startSimulator, type Simulator } from '../../simulator';
import { E2E_TIMEOUT_MS, REPO_ROOT, startN8n, type N8nInstance } from './harness';
import { canvasNodes, chromiumAvailable, importFromFile, launchChromium, problems, screenshotCanvas, signIn, waitForProblems } from './browser/editor';
import { TEMPLATE_FILES, TEMPLATE_TEST_ENV, loadTemplate, templateCredentials, templatePath, type TemplateKey, type TemplateJson } from './browser/templates';

const STEP_TIMEOUT_MS = 120_000;
// `UPDATE_SCREENSHOTS=1 npx jest test/e2e/browser.test.ts` refreshes the committed pictures; a normal run
// writes them to a temp folder so `npm test` leaves the checkout clean.
const SCREENSHOT_DIR =
	process.env.UPDATE_SCREENSHOTS === '1' ? path.join(REPO_ROOT, 'docs', 'screenshots') : path.join(os.tmpdir(), 'n8n-rc-e2e', 'screenshots');
const present = (Object.keys(TEMPLATE_FILES) as TemplateKey[]).filter((k) => fs.existsSync(templatePath(k)));

let n8n: N8nInstance;
let sim: Simulator;
let browser: Browser;
let page: Page;
let knownTypes: Map<string, Set<number>>;

beforeAll(async () => {
	if (!chromiumAvailable()) throw new Error('Chromium is missing at /usr/bin/chromium: apt-get install -y chromium');
	const templates = present.map(loadTemplate);
	// Publishing the keyword template subscribes at RingCentral: the simulator answers that (and nothing else is called).
	sim = await startSimulator({ port: 0 });
	n8n = await startN8n({ credentials: templateCredentials(templates, sim.url), publish: 'none', env: TEMPLATE_TEST_ENV });
	knownTypes = new Map();
	for (const t of await n8n.rest.nodeTypes()) {
		const versions = knownTypes.get(t.name) ?? new Set<number>();
		for (const v of Array.isArray(t.version) ? t.version : [t.version]) versions.add(v);
		knownTypes.set(t.name, versions);
	}
	browser = await launchChromium();
	page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
	await signIn(page, n8n.baseUrl, n8n.owner);
}, E2E_TIMEOUT_MS);

afterAll(async () => {
	await browser?.close();
	await n8n?.stop();
	await sim?.close();
});

const realNodes = (t: TemplateJson) => t.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');

test('every template is bundled', () => {
	expect(present).toEqual(Object.keys(TEMPLATE_FILES));
});

test('`n8n import:workflow --separate --input=workflows/` imports every template, unpublished, then each publishes', async () => {
	const out = await n8n.cli(['import:workflow', '--separate', `--input=${path.join(REPO_ROOT, 'workflows')}`]);
	expect(out.stdout + out.stderr).toMatch(new RegExp(`Successfully imported ${present.length} workflows`));
	for (const key of present) {
		const t = loadTemplate(key);
		const stored = await n8n.rest.getWorkflow(t.id);
		expect(stored.name).toBe(t.name);
		expect(stored.active).toBe(false);
		// Publishing registers the webhooks; it fails if a node, parameter or credential reference is unusable.
		await n8n.rest.publishWorkflow(t.id);
		expect((await n8n.rest.getWorkflow(t.id)).active).toBe(true);
	}
}, STEP_TIMEOUT_MS);

describe.each(present)('template %s in the editor', (key) => {
	const template = loadTemplate(key);

	test('every node type and version is one this n8n knows (package nodes included)', () => {
		const unknown = realNodes(template).filter((n) => !knownTypes.get(n.type)?.has(n.typeVersion)).map((n) => `${n.name}: ${n.type}@${n.typeVersion}`);
		expect(unknown).toEqual([]);
	});

	test('imports through "Import from file" with every node recognised and no issue flagged; screenshot saved', async () => {
		await importFromFile(page, n8n.baseUrl, templatePath(key), realNodes(template).length);
		const nodes = await canvasNodes(page);
		// Sticky notes are drawn separately; every other node must be on the canvas.
		expect(nodes.map((n) => n.name).sort()).toEqual(realNodes(template).map((n) => n.name).sort());
		expect(problems(nodes)).toEqual([]);
		fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
		const file = path.join(SCREENSHOT_DIR, TEMPLATE_FILES[key].replace(/\.json$/, '.png'));
		await screenshotCanvas(page, file);
		expect(fs.statSync(file).size).toBeGreaterThan(10_000);
	}, STEP_TIMEOUT_MS);
});

test('the checks catch what a user would see: an unknown node, a missing community node, a missing credential', async () => {
	const broken = loadTemplate('genesys');
	const nodes = realNodes(broken);
	const withCredential = nodes.find((n) => n.credentials);
	const packageNode = nodes.find((n) => n.type.startsWith('n8n-nodes-ringcentral-sms.') && n !== withCredential);
	const stockNode = nodes.find((n) => n.type === 'n8n-nodes-base.respondToWebhook');
	if (!withCredential || !packageNode || !stockNode) throw new Error('the Genesys template lacks the nodes this control needs');
	delete withCredential.credentials;
	packageNode.type = 'n8n-nodes-ringcentral-sms.noSuchNode';
	stockNode.type = 'n8n-nodes-base.noSuchNode';
	const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-rc-broken-')), 'broken.json');
	fs.writeFileSync(file, JSON.stringify(broken));
	await importFromFile(page, n8n.baseUrl, file, nodes.length);
	const expected = [
		`${withCredential.name}: issues flagged`,
		`${packageNode.name}: not installed (n8n-nodes-ringcentral-sms.noSuchNode)`,
		`${stockNode.name}: unknown node type n8n-nodes-base.noSuchNode`,
	];
	const found = await waitForProblems(page, expected);
	expect(found).toEqual(expect.arrayContaining(expected));
	fs.rmSync(path.dirname(file), { recursive: true, force: true });
}, STEP_TIMEOUT_MS);
