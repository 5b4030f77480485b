/**
 * Driving n8n's editor with Playwright and Debian's Chromium (no downloaded browser): sign in, import a
 * workflow file through the editor's own "Import from file" input, and read what the canvas shows.
 */
import * as fs from 'fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
	return fs.existsSync(CHROMIUM_PATH);
}

export async function launchChromium(): Promise<Browser> {
	return await chromium.launch({
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
}

export async function signIn(page: Page, baseUrl: string, owner: { email: string; password: string }): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.fill('input[name=emailOrLdapLoginId]', owner.email);
	await page.fill('input[name=password]', owner.password);
	await page.click('[data-test-id=form-submit-button]');
	await page.waitForURL((u) => !u.pathname.includes('signin'), { timeout: 60_000 });
}

/** Opens a new workflow and imports `file` with the editor's "Import from file" (the workflow menu's file input). */
export async function importFromFile(page: Page, baseUrl: string, file: string, expectedNodes: number): Promise<void> {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.waitForSelector('[data-test-id=canvas-wrapper]', { timeout: 60_000 });
	await page.setInputFiles('[data-test-id=workflow-import-input]', file);
	await page.waitForFunction((n) => document.querySelectorAll('[data-test-id=canvas-node]').length >= n, expectedNodes, { timeout: 60_000 });
	await page.click('[data-test-id=zoom-to-fit]');
	// Let the zoom animation and the editor's issue pass finish before anything is read or photographed.
	await page.waitForTimeout(1500);
}

/** A picture of the workflow alone: cropped to its nodes and notes, the editor's floating buttons hidden. */
export async function screenshotCanvas(page: Page, file: string): Promise<void> {
	// The floating run buttons, zoom controls and per-node toolbars are editor chrome, not the workflow.
	await page.addStyleTag({
		content: ['[class*=_executionButtons_]', '.vue-flow__panel', '[data-test-id=node-creator-plus-button]', '[data-test-id=canvas-wrapper] ~ *', '[data-test-id=canvas-node-toolbar]', '[data-test-id=canvas-handle-plus-wrapper]']
			.map((sel) => `${sel} { display: none !important; }`)
			.join('\n'),
	});
	const box = await page.$$eval('.vue-flow__node', (els) => {
		const rects = els.map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0);
		return {
			left: Math.min(...rects.map((r) => r.left)),
			top: Math.min(...rects.map((r) => r.top)),
			right: Math.max(...rects.map((r) => r.right)),
			// Labels hang below a node's box.
			bottom: Math.max(...rects.map((r) => r.bottom)) + 40,
		};
	});
	const viewport = page.viewportSize() ?? { width: 1440, height: 900 };
	// Node labels are wider than the node boxes: leave room on both sides.
	const x = Math.max(0, Math.floor(box.left - 80));
	const y = Math.max(0, Math.floor(box.top - 24));
	const clip = { x, y, width: Math.min(viewport.width, Math.ceil(box.right + 80)) - x, height: Math.min(viewport.height, Math.ceil(box.bottom + 24)) - y };
	await page.screenshot({ path: file, clip });
}

export interface CanvasNodeState {
	name: string;
	type: string;
	/** n8n's "install this community node" marker. */
	notInstalled: boolean;
	/** n8n's issues marker: parameter, credential or execution issues. */
	issues: boolean;
	/** A node whose type the editor knows has connection handles; the "?" placeholder of an unknown type has none. */
	handles: number;
}

export async function canvasNodes(page: Page): Promise<CanvasNodeState[]> {
	return await page.$$eval('[data-test-id=canvas-node]', (els) =>
		els.map((el) => ({
			name: el.getAttribute('data-node-name') ?? '',
			type: el.getAttribute('data-node-type') ?? '',
			notInstalled: el.querySelector('[data-test-id=node-not-installed]') !== null,
			issues: el.querySelector('[data-test-id=node-issues]') !== null,
			handles: el.querySelectorAll('[data-test-id=canvas-node-input-handle], [data-test-id=canvas-node-output-handle]').length,
		})),
	);
}

/** Waits until the canvas shows at least these problems (for the control that proves the checks work). */
export async function waitForProblems(page: Page, expected: string[], timeoutMs = 30_000): Promise<string[]> {
	const deadline = Date.now() + timeoutMs;
	let found = problems(await canvasNodes(page));
	while (!expected.every((e) => found.includes(e)) && Date.now() < deadline) {
		await page.waitForTimeout(250);
		found = problems(await canvasNodes(page));
	}
	return found;
}

/** The nodes a user would see flagged, or the reason each is not usable. */
export function problems(nodes: CanvasNodeState[]): string[] {
	return nodes
		.filter((n) => n.type !== 'n8n-nodes-base.stickyNote')
		.flatMap((n) => [
			...(n.notInstalled ? [`${n.name}: not installed (${n.type})`] : []),
			...(n.issues ? [`${n.name}: issues flagged`] : []),
			...(n.handles === 0 ? [`${n.name}: unknown node type ${n.type}`] : []),
		]);
}
