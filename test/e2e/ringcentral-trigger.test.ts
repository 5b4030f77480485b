/**
 * The RingCentral Trigger in a real n8n against the simulator: publishing creates exactly one
 * subscription (with the handshake), an injected SMS runs the workflow once, a redelivery and a forged
 * request run nothing, a blacklisted or expired subscription is replaced by itself, messages that arrive
 * while n8n is stopped or the subscription is blacklisted are emitted once after recovery, in order, an
 * MMS arrives with its attachments as binary data, and unpublishing deletes the subscription.
 * Figures (handshake latency, injection → execution, replacement time) are printed, never asserted.
 * Cost: one n8n start plus one restart, ~1–2 min.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../simulator';
import { CREDENTIALS } from '../../workflows/build/lib';
import { loadTemplate } from './browser/templates';
import { E2E_TIMEOUT_MS, PACKAGE_NODE_PREFIX, newId, startN8n, waitFor, type N8nInstance } from './harness';

let sim: Simulator;
let n8n: N8nInstance;
const workflowId = newId();
const mmsWorkflowId = newId();
const MMS_PATH = 'e2e/ringcentral/mms';
// The id the bundled templates refer to, so the keyword template runs with it unchanged.
const credentialId = CREDENTIALS.ringCentralJwtApi.id;
const keywordTemplate = loadTemplate('keywords');
let forwardServer: http.Server;
const forwarded: any[] = [];
const OUR_NUMBER = SIM_DEFAULTS.smsNumbers[0];
const figures: string[] = [];

function workflow() {
	return {
		id: workflowId,
		name: 'E2E: RingCentral Trigger',
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000001',
				name: 'RingCentral Trigger',
				type: `${PACKAGE_NODE_PREFIX}.ringCentralTrigger`,
				typeVersion: 1,
				position: [0, 0],
				webhookId: 'b0000000-0000-4000-8000-0000000000b1',
				credentials: { ringCentralJwtApi: { id: credentialId, name: 'RingCentral (simulator)' } },
				parameters: { events: ['inboundSms', 'inboundMms'], receivingNumbers: '', options: {} },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

/** Webhook (multipart upload: each file field becomes a binary property) → RingCentral Send with Attachments. */
function mmsWorkflow() {
	return {
		id: mmsWorkflowId,
		name: 'E2E: Webhook → RingCentral Send MMS',
		nodes: [
			{
				id: 'b0000000-0000-4000-8000-000000000011',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'b0000000-0000-4000-8000-0000000000c1',
				parameters: { httpMethod: 'POST', path: MMS_PATH, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
			},
			{
				id: 'b0000000-0000-4000-8000-000000000012',
				name: 'Send MMS',
				type: `${PACKAGE_NODE_PREFIX}.ringCentral`,
				typeVersion: 1,
				position: [220, 0],
				onError: 'continueRegularOutput',
				credentials: { ringCentralJwtApi: { id: credentialId, name: 'RingCentral (simulator)' } },
				parameters: {
					resource: 'sms',
					operation: 'send',
					from: '={{ $json.body.from || "auto" }}',
					to: '={{ $json.body.to }}',
					text: '={{ $json.body.text }}',
					attachments: '={{ $json.body.attachments }}',
					options: { timeoutSeconds: 20 },
				},
			},
		],
		connections: { Webhook: { main: [[{ node: 'Send MMS', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

async function control<T = any>(method: string, path: string, body?: unknown): Promise<T> {
	const res = await fetch(`${sim.url}${path}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
	return (text ? JSON.parse(text) : undefined) as T;
}

const subscriptions = () => control<any[]>('GET', '/_sim/subscriptions');
const inject = (text: string, extra: Record<string, unknown> = {}) =>
	control<{ id: string; creationTime: string; deliveries?: any[] }>('POST', '/_sim/inbound?wait=true', { from: '+14155550123', to: OUR_NUMBER, text, ...extra });

/** Every message the trigger emitted so far, oldest execution first, with the execution's start. */
async function emitted(): Promise<Array<{ json: any; startedAt: string; executionId: string; binary?: any }>> {
	const executions = (await n8n.rest.listExecutions({ workflowId })).reverse();
	const out: Array<{ json: any; startedAt: string; executionId: string; binary?: any }> = [];
	for (const summary of executions) {
		const execution = await n8n.rest.getExecution(summary.id);
		const runs = execution.data?.resultData?.runData?.['RingCentral Trigger'];
		const items = runs?.[0]?.data?.main?.[0] ?? [];
		for (const item of items) out.push({ json: item.json, binary: item.binary, startedAt: String(summary.startedAt), executionId: summary.id });
	}
	return out;
}

async function waitForTexts(texts: string[], timeoutMs = 60_000) {
	return waitFor(
		async () => {
			const all = await emitted();
			return texts.every((t) => all.some((e) => e.json.text === t)) ? all : undefined;
		},
		timeoutMs,
		() => new Error(`the trigger did not emit ${texts.join(', ')}`),
		300,
	);
}

const countOf = (all: Array<{ json: any }>, text: string) => all.filter((e) => e.json.text === text).length;

/** The template with its forward URL pointed at a local server standing in for Slack. */
function keywordWorkflow(forwardUrl: string) {
	const copy = JSON.parse(JSON.stringify(keywordTemplate));
	const settings = copy.nodes.find((n: any) => n.name === 'Settings and keyword');
	const assignment = settings.parameters.assignments.assignments.find((a: any) => a.name === 'forwardUrl');
	assignment.value = forwardUrl;
	return copy;
}

beforeAll(async () => {
	// The supervisor looks every second here (60 s by default): lift the Light budget so the test measures
	// replacement, not a rate-limit penalty.
	sim = await startSimulator({ port: 0, config: { limits: { light: 100_000, medium: 100_000 } } });
	forwardServer = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			forwarded.push(JSON.parse(body || '{}'));
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise<void>((r) => forwardServer.listen(0, '127.0.0.1', r));
	const forwardUrl = `http://127.0.0.1:${(forwardServer.address() as AddressInfo).port}/slack`;
	n8n = await startN8n({
		workflows: [workflow(), mmsWorkflow(), keywordWorkflow(forwardUrl)],
		publish: [workflowId, mmsWorkflowId],
		credentials: [
			{
				id: credentialId,
				name: 'RingCentral (simulator)',
				type: 'ringCentralJwtApi',
				data: { serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt },
			},
		],
		// n8n 2.40's publication service re-runs no webhook activation on start-up, so a restarted n8n would not
		// look at its subscription again; with it off, start-up activates as 2.8 and 1.x do (docs/ringcentral-trigger.md).
		env: { N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false', N8N_RINGCENTRAL_TRIGGER_CHECK_SECONDS: '1', N8N_RINGCENTRAL_SMS_PER_MINUTE: '100000', N8N_RINGCENTRAL_LIGHT_PER_MINUTE: '100000' },
	});
}, E2E_TIMEOUT_MS);

afterAll(async () => {
	if (figures.length) process.stdout.write(`\n[trigger figures]\n${figures.join('\n')}\n`);
	await n8n?.stop();
	await sim?.close();
	await new Promise((r) => forwardServer?.close(r));
});

jest.setTimeout(180_000);

describe('RingCentral Trigger in a real n8n', () => {
	let address = '';
	let firstSubscription = '';

	test('publishing created exactly one subscription, after a correct handshake', async () => {
		const subs = await subscriptions();
		expect(subs).toHaveLength(1);
		expect(subs[0].status).toBe('Active');
		expect(subs[0].hasVerificationToken).toBe(true);
		expect(subs[0].eventFilters[0]).toMatch(/\/message-store\/instant\?type=SMS$/);
		address = subs[0].address;
		firstSubscription = subs[0].id;
		expect(address).toBe(`${n8n.baseUrl}/webhook/b0000000-0000-4000-8000-0000000000b1/ringcentral`);
		const handshakes = await control<any[]>('GET', '/_sim/handshakes');
		expect(handshakes.every((h) => h.ok)).toBe(true);
		expect(handshakes[0].bytes).toBeLessThanOrEqual(1024);
		figures.push(`handshake: ${handshakes.map((h) => `${h.ms} ms, ${h.bytes} bytes`).join('; ')}`);
	});

	test('an inbound SMS runs the workflow once with its fields; a redelivery runs nothing', async () => {
		const sent = await inject('hello from a phone');
		expect(sent.deliveries?.[0]?.ok).toBe(true);
		const all = await waitForTexts(['hello from a phone']);
		const item = all.find((e) => e.json.text === 'hello from a phone') as { json: any; startedAt: string };
		expect(item.json).toMatchObject({
			from: '+14155550123',
			to: OUR_NUMBER,
			messageId: sent.id,
			direction: 'Inbound',
			type: 'SMS',
			receivedAt: sent.creationTime,
			source: 'webhook',
		});
		expect(item.json.conversationId).toMatch(/^\d{19}$/);
		figures.push(`injection → execution start: ${Date.parse(item.startedAt) - Date.parse(sent.creationTime)} ms; delivery answered in ${sent.deliveries?.[0]?.ms} ms`);

		const again = await control<any>('POST', `/_sim/subscriptions/${firstSubscription}/redeliver`);
		expect(again.ok).toBe(true);
		// A later message proves the redelivery had its chance to run before.
		await inject('marker after redelivery');
		const after = await waitForTexts(['marker after redelivery']);
		expect(countOf(after, 'hello from a phone')).toBe(1);
	});

	test('a missing or wrong verification token gets a 4xx and runs nothing', async () => {
		const event = {
			uuid: 'forged-0001',
			event: `/restapi/v1.0/account/${SIM_DEFAULTS.accountId}/extension/${SIM_DEFAULTS.extensionId}/message-store/instant?type=SMS`,
			subscriptionId: firstSubscription,
			body: { id: 999, direction: 'Inbound', type: 'SMS', subject: 'forged', from: { phoneNumber: '+14155550999' }, to: [{ phoneNumber: OUR_NUMBER }] },
		};
		const post = (headers: Record<string, string>) =>
			fetch(address, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(event) });
		const missing = await post({});
		const wrong = await post({ 'Verification-Token': 'not-the-token' });
		const wrongOtherName = await post({ 'Validation-Token': 'not-the-token' });
		expect(missing.status).toBe(401);
		expect(wrong.status).toBe(403);
		expect(wrongOtherName.status).toBe(403);
		await inject('marker after forgery');
		const all = await waitForTexts(['marker after forgery']);
		expect(countOf(all, 'forged')).toBe(0);
	});

	test('a blacklisted subscription is replaced by itself, and what arrived meanwhile is emitted once, in order', async () => {
		await control('POST', `/_sim/subscriptions/${firstSubscription}/blacklist`);
		const blacklistedAt = Date.now();
		await inject('while blacklisted 1');
		await inject('while blacklisted 2');
		const replaced = await waitFor(
			async () => {
				const subs = await subscriptions();
				return subs.length === 1 && subs[0].id !== firstSubscription && subs[0].status === 'Active' ? subs[0] : undefined;
			},
			30_000,
			() => new Error('the blacklisted subscription was not replaced'),
			100,
		);
		figures.push(`blacklisted → replaced: ${Date.parse(replaced.createdAt) - blacklistedAt} ms (check interval 1 s)`);
		const all = await waitForTexts(['while blacklisted 1', 'while blacklisted 2']);
		expect(countOf(all, 'while blacklisted 1')).toBe(1);
		expect(countOf(all, 'while blacklisted 2')).toBe(1);
		const caught = all.filter((e) => e.json.text.startsWith('while blacklisted'));
		expect(caught.map((e) => e.json.text)).toEqual(['while blacklisted 1', 'while blacklisted 2']);
		expect(caught.every((e) => e.json.source === 'catchUp')).toBe(true);
		firstSubscription = replaced.id;
	});

	test('an expired subscription is replaced by itself', async () => {
		await control('POST', `/_sim/subscriptions/${firstSubscription}/expire`);
		const expiredAt = Date.now();
		const replaced = await waitFor(
			async () => {
				const subs = await subscriptions();
				return subs.length === 1 && subs[0].id !== firstSubscription ? subs[0] : undefined;
			},
			30_000,
			() => new Error('the expired subscription was not replaced'),
			100,
		);
		figures.push(`expired → replaced: ${Date.parse(replaced.createdAt) - expiredAt} ms (check interval 1 s)`);
		firstSubscription = replaced.id;
		await inject('after expiry');
		await waitForTexts(['after expiry']);
	});

	test('an MMS arrives with its attachments as binary data', async () => {
		const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
		const sent = await inject('look at this', {
			attachments: [
				{ contentType: 'image/png', fileName: 'dot.png', base64: png.toString('base64') },
				{ contentType: 'text/vcard', fileName: 'me.vcf', base64: Buffer.from('BEGIN:VCARD\nEND:VCARD\n').toString('base64') },
			],
		});
		const all = await waitForTexts(['look at this']);
		const item = all.find((e) => e.json.text === 'look at this') as { json: any; binary?: any };
		expect(item.json.type).toBe('MMS');
		expect(item.json.messageId).toBe(sent.id);
		expect(item.json.attachments.map((a: any) => a.contentType)).toEqual(['image/png', 'text/vcard']);
		expect(item.binary?.attachment_0).toMatchObject({ mimeType: 'image/png', fileName: 'dot.png' });
		expect(item.binary?.attachment_1).toMatchObject({ mimeType: 'text/vcard', fileName: 'me.vcf' });
	});

	test('an MMS is sent with two attachments, and a toll-free From is refused with the reason', async () => {
		const upload = (fields: Record<string, string>) => {
			const form = new FormData();
			for (const [k, v] of Object.entries(fields)) form.append(k, v);
			form.append('photo', new Blob([Buffer.from([0x89, 0x50, 0x4e, 0x47, 9, 9])], { type: 'image/png' }), 'photo.png');
			form.append('doc', new Blob([Buffer.from('%PDF-1.4 e2e')], { type: 'application/pdf' }), 'doc.pdf');
			return fetch(n8n.webhookUrl(MMS_PATH), { method: 'POST', body: form }).then(async (r) => ({ status: r.status, body: (await r.json()) as any[] }));
		};
		const ok = await upload({ to: '+14155550177', text: 'two files', attachments: 'photo, doc' });
		expect(ok.status).toBe(200);
		expect(ok.body[0]).toMatchObject({ to: '+14155550177', from: OUR_NUMBER, attachments: [{ fileName: 'photo.png', contentType: 'image/png' }, { fileName: 'doc.pdf', contentType: 'application/pdf' }] });
		expect(ok.body[0].error).toBeUndefined();
		const record = await fetch(`${sim.url}/_sim/conversations?number=${encodeURIComponent(OUR_NUMBER)}`).then((r) => r.json() as Promise<any[]>);
		const thread = record.find((t) => t.party === '+14155550177');
		expect(thread.messages[0].attachments).toEqual(['photo.png', 'doc.pdf']);
		const refused = await upload({ to: '+14155550177', text: 'x', attachments: 'photo, doc', from: SIM_DEFAULTS.a2pNumber });
		expect(refused.body[0]).toMatchObject({ reason: 'invalid_input', field: 'from' });
		expect(refused.body[0].error).toMatch(/toll-free numbers cannot send MMS/);
	});

	test('messages that arrive while n8n is stopped are emitted once after the restart', async () => {
		await n8n.stopMain();
		const down1 = await inject('while stopped 1');
		const down2 = await inject('while stopped 2');
		await inject('while stopped 3');
		expect(down1.deliveries?.[0]?.ok).toBe(false);
		expect(down2.deliveries?.[0]?.ok).toBe(false);
		// Three failed deliveries in a row: the simulator has blacklisted the subscription too.
		expect((await subscriptions())[0].status).toBe('Blacklisted');
		const restartAt = Date.now();
		await n8n.startMain();
		const all = await waitForTexts(['while stopped 1', 'while stopped 2', 'while stopped 3'], 90_000);
		figures.push(`restart → missed messages emitted: ${Date.now() - restartAt} ms`);
		for (const text of ['while stopped 1', 'while stopped 2', 'while stopped 3']) expect(countOf(all, text)).toBe(1);
		const caught = all.filter((e) => e.json.text.startsWith('while stopped')).map((e) => e.json.text);
		expect(caught).toEqual(['while stopped 1', 'while stopped 2', 'while stopped 3']);
		const subs = await subscriptions();
		expect(subs).toHaveLength(1);
		expect(subs[0].status).toBe('Active');
		// Nothing emitted before stays emitted once.
		expect(countOf(all, 'hello from a phone')).toBe(1);
		await inject('after restart');
		const later = await waitForTexts(['after restart']);
		expect(countOf(later, 'after restart')).toBe(1);
	});

	test('unpublishing deletes the subscription', async () => {
		await n8n.rest.unpublishWorkflow(workflowId);
		expect(await subscriptions()).toEqual([]);
	});

	describe('the keyword template (inbound-sms-keywords.json)', () => {
		const person = '+14155550188';
		const repliesTo = (to: string) => sim.messages({ to }).map((m) => m.text);
		const sendPlain = async (to: string) => {
			const res = await fetch(n8n.webhookUrl(MMS_PATH), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ to, text: 'our newsletter' }) });
			return ((await res.json()) as any[])[0];
		};
		const settings = () => keywordTemplate.nodes.find((n) => n.name === 'Settings and keyword')?.parameters.assignments.assignments as Array<{ name: string; value: string }>;
		const setting = (name: string) => settings().find((a) => a.name === name)?.value;

		beforeAll(async () => {
			await n8n.rest.publishWorkflow(keywordTemplate.id);
		});

		test('publishing it subscribes', async () => {
			const subs = await subscriptions();
			expect(subs).toHaveLength(1);
			expect(subs[0].status).toBe('Active');
		});

		test('STOP records the opt-out and confirms once; a later send to that number is refused with the reason', async () => {
			await inject('Stop', { from: person });
			const confirmation = await waitFor(async () => (repliesTo(person).length ? repliesTo(person) : undefined), 60_000, () => new Error('no STOP confirmation'));
			expect(confirmation).toEqual([setting('stopReply')]);
			const refused = await sendPlain(person);
			expect(refused).toMatchObject({ reason: 'opted_out', field: 'to', to: person });
			expect(refused.error).toMatch(/opted out \(texted "STOP"\)/);
			expect(repliesTo(person)).toHaveLength(1);
		});

		test('HELP gets the help text', async () => {
			await inject('help', { from: '+14155550189' });
			const replies = await waitFor(async () => (repliesTo('+14155550189').length ? repliesTo('+14155550189') : undefined), 60_000, () => new Error('no HELP reply'));
			expect(replies).toEqual([setting('helpText')]);
		});

		test('anything else is forwarded to the chosen channel', async () => {
			await inject('Where is my order #123?', { from: '+14155550190' });
			const got = await waitFor(async () => forwarded.find((f) => f.message === 'Where is my order #123?'), 60_000, () => new Error('nothing forwarded'));
			expect(got).toMatchObject({ from: '+14155550190', to: OUR_NUMBER, text: `SMS from +14155550190 to ${OUR_NUMBER}: Where is my order #123?` });
			expect(repliesTo('+14155550190')).toEqual([]);
		});

		test('START takes the number off the list: sends reach it again', async () => {
			await inject('START', { from: person });
			await waitFor(async () => (repliesTo(person).length === 2 ? true : undefined), 60_000, () => new Error('no START confirmation'));
			expect(repliesTo(person)[1]).toBe(setting('startReply'));
			const sent = await sendPlain(person);
			expect(sent.error).toBeUndefined();
			expect(sent.status).toBe('Queued');
		});
	});
});
