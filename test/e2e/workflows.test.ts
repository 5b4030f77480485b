/**
 * The bundled templates, imported exactly as shipped (`workflows/*.json`) into a real n8n with the package
 * installed, credentials created under the ids the templates reference, every template published, and
 * RingCentral played by the simulator. Each test is one caller's story: what it sends, what it reads back,
 * and what reached (or did not reach) the phone.
 */
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../simulator';
import { E2E_TIMEOUT_MS, startN8n, type ExecutionDetail, type N8nInstance } from './harness';
import { GATEWAY_CALLER, MANAGEENGINE_TOKEN, OTP_API_HEADERS, PRIVACYIDEA_CALLER, TEMPLATE_TEST_ENV, loadTemplate, templateCredentials, type TemplateKey } from './browser/templates';

const KEYS: TemplateKey[] = ['manageEngine', 'axigen', 'privacyIdea', 'genesys', 'otpApi'];
const SMS_PATH = '/restapi/v1.0/account/~/extension/~/sms';
const SECOND_ACCOUNT = '100200301';
const SECOND_PHONE = '+16505550124';

let sim: Simulator;
let n8n: N8nInstance;
const figures = { requests: 0, replies: new Map<string, number[]>() };

interface Reply {
	status: number;
	contentType: string;
	text: string;
	headers: Headers;
}

async function call(
	path: string,
	init: {
		method?: 'GET' | 'POST';
		query?: Record<string, string>;
		form?: Record<string, string>;
		json?: unknown;
		raw?: { contentType: string; body: string };
		headers?: Record<string, string>;
	} = {},
): Promise<Reply> {
	const qs = init.query ? `?${new URLSearchParams(init.query)}` : '';
	const headers: Record<string, string> = { ...init.headers };
	let body: string | undefined;
	if (init.form) {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		body = new URLSearchParams(init.form).toString();
	} else if (init.json !== undefined) {
		headers['content-type'] = 'application/json';
		body = JSON.stringify(init.json);
	} else if (init.raw) {
		headers['content-type'] = init.raw.contentType;
		body = init.raw.body;
	}
	const started = performance.now();
	const res = await fetch(n8n.webhookUrl(path) + qs, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
	const text = await res.text();
	figures.requests++;
	const key = path.split('/').slice(0, 2).join('/');
	figures.replies.set(key, [...(figures.replies.get(key) ?? []), performance.now() - started]);
	return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, headers: res.headers };
}

/** SMS the simulator accepted for a number since `since` (an index into its message list). */
function smsTo(to: string, since = 0) {
	return sim.messages().slice(since).filter((m) => m.to.includes(to));
}

/** Waits (bounded) for the SMS a workflow sends after it has already answered. */
async function waitForSms(to: string, since: number, count = 1): Promise<ReturnType<typeof smsTo>> {
	const deadline = Date.now() + 20_000;
	while (smsTo(to, since).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
	return smsTo(to, since);
}

const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
const refuseNextSms = () =>
	sim.addFaults({ method: 'POST', path: SMS_PATH, status: 403, body: { errorCode: 'CMN-408', message: 'In order to call this API endpoint, application needs to have [SMS] permission' } });

function codeIn(text: string): string {
	const m = /\b(\d{6})\b/.exec(text);
	if (!m) throw new Error(`no 6-digit code in "${text}"`);
	return m[1];
}

/** The saved executions of a workflow that ran `nodeName`, as stored (`rawData` is n8n's own string). */
async function executionsThrough(workflowId: string, nodeName: string): Promise<ExecutionDetail[]> {
	const list = await n8n.rest.listExecutions({ workflowId });
	const all = await Promise.all(list.map((e) => n8n.rest.getExecution(e.id)));
	return all.filter((e) => e.data?.resultData?.runData?.[nodeName]);
}

beforeAll(async () => {
	sim = await startSimulator({ port: 0 });
	const templates = KEYS.map(loadTemplate);
	// What the Genesys admin is told to do: put their accounts in the directory node. A second account lets the
	// refusal test run without waiting out the sample account's resend cooldown.
	const directory = templates.flatMap((t) => t.nodes).find((n) => n.name.startsWith('Account directory'));
	const before = String(directory?.parameters.jsCode);
	if (directory) directory.parameters.jsCode = before.replace(/^(\s*'100200300': .*)$/m, `$1\n\t'${SECOND_ACCOUNT}': '${SECOND_PHONE}',`);
	if (directory?.parameters.jsCode === before) throw new Error('the Genesys account directory no longer has the sample account line');
	n8n = await startN8n({ workflows: templates, credentials: templateCredentials(templates, sim.url), env: TEMPLATE_TEST_ENV });
}, E2E_TIMEOUT_MS);

afterAll(async () => {
	await n8n?.stop();
	await sim?.close();
	// Figures only (no assertion on time): requests per template and the median reply time.
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
	const perTemplate = [...figures.replies].map(([k, v]) => `${k}: ${v.length} (median ${median(v).toFixed(0)} ms)`).join(', ');
	process.stdout.write(`[workflows e2e] ${figures.requests} requests, replies checked per path prefix: ${perTemplate}\n`);
});

describe('ManageEngine ADSelfService Plus (the seed recipe)', () => {
	const path = 'ringcentral/manageengine';
	// The token the admin appends to the Parameters string.
	const token = MANAGEENGINE_TOKEN;
	const expectSuccess = (r: Reply) => {
		expect(r.status).toBeGreaterThanOrEqual(200);
		expect(r.status).toBeLessThan(300);
		expect(r.text).toContain('success');
	};
	const expectFailure = (r: Reply) => {
		expect(r.status).toBeGreaterThanOrEqual(400);
		expect(r.text).toMatch(/^failure: .{8,}/);
		expect(r.text).not.toMatch(/success/i);
	};

	test('GET with 11 and 10 digits, POST form and POST with a query string all text +16505550123', async () => {
		const to = '+16505550123';
		const since = sim.messages().length;
		const texts = ['ME code 100001', 'ME code 100002', 'ME code 100003', 'ME code 100004'];
		expectSuccess(await call(path, { query: { mobileNumber: '16505550123', message: texts[0], token } }));
		expectSuccess(await call(path, { query: { mobileNumber: '6505550123', message: texts[1], token } }));
		expectSuccess(await call(path, { form: { mobileNumber: '16505550123', message: texts[2], token } }));
		expectSuccess(await call(path, { method: 'POST', query: { mobileNumber: '6505550123', message: texts[3], token } }));
		const sent = smsTo(to, since);
		expect(sent.map((m) => m.text)).toEqual(texts);
		for (const m of sent) expect(m.to).toEqual([to]);
	});

	test('no token, or a wrong one, in the parameters → 401 failure and no SMS; in a POST form body it is accepted', async () => {
		const since = sim.messages().length;
		const queries: Array<Record<string, string>> = [{ mobileNumber: '16505550127', message: 'no token' }, { mobileNumber: '16505550127', message: 'bad token', token: 'wrong' }];
		for (const query of queries) {
			const r = await call(path, { query });
			expect(r.status).toBe(401);
			expectFailure(r);
		}
		expect((await call(path, { form: { mobileNumber: '16505550127', message: 'form no token' } })).status).toBe(401);
		expect(sim.messages().length).toBe(since);
		expectSuccess(await call(path, { form: { mobileNumber: '16505550127', message: 'ME form token', token } }));
		expect(smsTo('+16505550127', since).map((m) => m.text)).toEqual(['ME form token']);
	});

	test('guard: another country, a premium-rate number and ambiguous digits → 400 failure with the reason, no SMS', async () => {
		const since = sim.messages().length;
		const cases: Array<[string, RegExp]> = [
			['+4795678901', /Allowed Countries/],
			['19002345678', /premium-rate/],
			['4745678901', /\(CA\) or .*\(NO\)/],
		];
		for (const [mobileNumber, reason] of cases) {
			const r = await call(path, { query: { mobileNumber, message: 'guard', token } });
			expect(r.status).toBe(400);
			expectFailure(r);
			expect(r.text).toMatch(reason);
		}
		expect(sim.messages().length).toBe(since);
	});

	test('over the limit per destination (5 a minute) → 429 failure, no SMS', async () => {
		const since = sim.messages().length;
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) statuses.push((await call(path, { query: { mobileNumber: '16505550128', message: `limit ${i}`, token } })).status);
		expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
		expect(smsTo('+16505550128', since)).toHaveLength(5);
	});

	test('an invalid number → failure with the reason, no SMS', async () => {
		const since = sim.messages().length;
		for (const mobileNumber of ['16501112222', '12345', '']) expectFailure(await call(path, { query: { mobileNumber, message: 'x', token } }));
		expect(sim.messages().length).toBe(since);
	});

	test('RingCentral refuses → failure with the reason, no SMS', async () => {
		const since = sim.messages().length;
		refuseNextSms();
		const r = await call(path, { query: { mobileNumber: '16505550125', message: 'refused one', token } });
		expectFailure(r);
		expect(r.text).toMatch(/permission/i);
		expect(sim.messages().length).toBe(since);
	});

	test('RingCentral does not answer within the time budget → failure (outcome unknown), never a second SMS', async () => {
		const to = '+16505550126';
		sim.addFaults({ method: 'POST', path: SMS_PATH, delayMs: 25_000 });
		const r = await call(path, { query: { mobileNumber: to.slice(1), message: 'slow one', token } });
		expectFailure(r);
		expect(r.status).toBe(504);
		expect(smsTo(to).length).toBeLessThanOrEqual(1);
	}, 60_000);
});

describe('Axigen SMS connector', () => {
	const path = 'ringcentral/axigen';
	const auth = basic(GATEWAY_CALLER.user, GATEWAY_CALLER.password);
	const sentReply = (r: Reply) => {
		expect(r.status).toBe(200);
		const b = JSON.parse(r.text);
		expect(b.status).toBe('sent');
		expect(b.messageId).toMatch(/\d+/);
	};

	test('GET query, POST JSON and POST form with Basic auth → SMS; `from` is used when it is one of the SMS numbers', async () => {
		const to = '+16505550130';
		const since = sim.messages().length;
		sentReply(await call(path, { query: { to, text: 'AX get' }, headers: auth }));
		sentReply(await call(path, { json: { to, text: 'AX json', from: SIM_DEFAULTS.smsNumbers[1] }, headers: auth }));
		sentReply(await call(path, { form: { to, text: 'AX form' }, headers: auth }));
		const sent = smsTo(to, since);
		expect(sent.map((m) => [m.text, m.from])).toEqual([
			['AX get', SIM_DEFAULTS.smsNumbers[0]],
			['AX json', SIM_DEFAULTS.smsNumbers[1]],
			['AX form', SIM_DEFAULTS.smsNumbers[0]],
		]);
	});

	test('a `from` this extension cannot send from (another extension\'s number, a name) → sent from the default number', async () => {
		const to = '+16505550131';
		const since = sim.messages().length;
		sentReply(await call(path, { json: { to, text: 'AX other ext', from: SIM_DEFAULTS.second.smsNumbers[0] }, headers: auth }));
		sentReply(await call(path, { form: { to, text: 'AX alpha', from: 'ACME' }, headers: auth }));
		sentReply(await call(path, { form: { to, text: 'AX caller id', from: SIM_DEFAULTS.otherNumbers[0] }, headers: auth }));
		const sent = smsTo(to, since);
		expect(sent.map((m) => [m.text, m.from])).toEqual([
			['AX other ext', SIM_DEFAULTS.smsNumbers[0]],
			['AX alpha', SIM_DEFAULTS.smsNumbers[0]],
			['AX caller id', SIM_DEFAULTS.smsNumbers[0]],
		]);
	});

	test('no or wrong credentials → 401 and nothing runs; bad number → 400; RingCentral refuses → 5xx; always JSON with a reason', async () => {
		const since = sim.messages().length;
		const to = '+16505550132';
		for (const headers of [{}, basic(GATEWAY_CALLER.user, 'wrong'), { authorization: 'Bearer nope' }]) {
			const r = await call(path, { query: { to, text: 'AX unauth' }, headers });
			expect(r.status).toBe(401);
		}
		const bad = await call(path, { json: { to: '+1 650 111 2222', text: 'AX bad' }, headers: auth });
		expect(bad.status).toBe(400);
		expect(JSON.parse(bad.text)).toMatchObject({ status: 'failed', error: 'invalid-phonenumber' });
		refuseNextSms();
		const refused = await call(path, { json: { to, text: 'AX refused' }, headers: auth });
		expect(refused.status).toBeGreaterThanOrEqual(500);
		const body = JSON.parse(refused.text);
		expect(body.status).toBe('failed');
		expect(body.message).toMatch(/permission/i);
		// Only this test's number: a template that answers first (privacyIDEA) may still be sending its own SMS.
		expect(smsTo(to, since)).toHaveLength(0);
	});
});

describe('privacyIDEA HttpSMSProvider', () => {
	const path = 'ringcentral/privacyidea';
	// privacyIDEA's HttpSMSProvider USERNAME/PASSWORD.
	const headers = basic(PRIVACYIDEA_CALLER.user, PRIVACYIDEA_CALLER.password);

	test('GET, POST form and POST JSON → 200 text/plain SENT, then the SMS', async () => {
		const to = '+16505550140';
		const since = sim.messages().length;
		for (const r of [
			await call(path, { query: { phone: to, text: '100001' }, headers }),
			await call(path, { form: { phone: to, text: '100002' }, headers }),
			await call(path, { json: { phone: to, text: '100003' }, headers }),
		]) {
			expect(r.status).toBe(200);
			expect(r.contentType).toMatch(/^text\/plain/);
			expect(r.text).toContain('SENT');
		}
		expect((await waitForSms(to, since, 3)).map((m) => m.text).sort()).toEqual(['100001', '100002', '100003']);
	});

	test('replies before RingCentral has answered (privacyIDEA waits only 3 s)', async () => {
		const to = '+16505550141';
		const since = sim.messages().length;
		sim.addFaults({ method: 'POST', path: SMS_PATH, delayMs: 4_000 });
		const r = await call(path, { query: { phone: to, text: '314159' }, headers });
		expect(r.text).toContain('SENT');
		// Ordering, not timing: the reply is in our hands while the SMS is still held by the slow simulator.
		expect(smsTo(to, since)).toHaveLength(0);
		expect(await waitForSms(to, since)).toHaveLength(1);
	}, 60_000);

	test('without its Basic credentials → 401 FAILED and no SMS', async () => {
		const since = sim.messages().length;
		for (const h of [{}, basic(PRIVACYIDEA_CALLER.user, 'wrong')]) {
			const r = await call(path, { query: { phone: '+16505550142', text: '111111' }, headers: h });
			expect(r.status).toBe(401);
			expect(r.text).toMatch(/^FAILED: /);
		}
		await new Promise((r) => setTimeout(r, 500));
		// This test's number only: an SMS an earlier template accepted can still land now.
		expect(smsTo('+16505550142', since)).toHaveLength(0);
	});

	test('a request it cannot send → 4xx FAILED with the reason, no SMS', async () => {
		const since = sim.messages().length;
		const replies = [
			await call(path, { query: { phone: 'abc', text: '123456' }, headers }),
			await call(path, { query: { phone: '+16505550140' }, headers }),
			await call(path, { raw: { contentType: 'application/json', body: '{"phone": "+16505550140", "text": ' }, headers }),
		];
		for (const r of replies) {
			expect(r.status).toBeGreaterThanOrEqual(400);
			expect(r.status).toBeLessThan(500);
			expect(r.text).toMatch(/^FAILED: .{5,}/);
		}
		await new Promise((r) => setTimeout(r, 500));
		// The numbers of this test only: an SMS an earlier template accepted can still land now.
		expect(smsTo('+16505550140', since)).toHaveLength(0);
		expect(sim.messages().slice(since).filter((m) => m.text === '123456')).toHaveLength(0);
	});
});

describe('Genesys IA two-factor (external services)', () => {
	const base = 'ringcentral/genesys';
	const account = '100200300';
	const phone = '+16505550123';
	const success = (root: string) => `<${root}><status>success</status>`;

	test('contact methods: the sample account offers SMS (GET and POST form); an unknown account is "not found"', async () => {
		for (const r of [
			await call(`${base}/contact-methods`, { query: { accountNumber: account } }),
			await call(`${base}/contact-methods`, { form: { accountNumber: account } }),
		]) {
			expect(r.status).toBe(200);
			expect(r.contentType).toMatch(/xml/);
			expect(r.text).toContain(success('checkVerifiedContactMethods'));
			expect(r.text).toContain('<method name="SMS"/>');
		}
		for (const r of [
			await call(`${base}/contact-methods`, { query: { accountNumber: '999' } }),
			await call(`${base}/contact-methods`, { form: { accountNumber: '' } }),
		]) {
			expect(r.status).toBe(200);
			expect(r.text).toContain('<status>not found</status>');
			expect(r.text).not.toContain('name="SMS"');
		}
	});

	test('send code → the phone gets a 6-digit code; verify accepts it once; the code is not in saved executions', async () => {
		const since = sim.messages().length;
		const sent = await call(`${base}/send-code`, { form: { accountNumber: account, TwoFactorAuthSelectedMethod: 'SMS' } });
		expect(sent.status).toBe(200);
		expect(sent.text).toContain('<sendAuthenticationCode><status>success</status></sendAuthenticationCode>');
		const sms = smsTo(phone, since);
		expect(sms).toHaveLength(1);
		expect(SIM_DEFAULTS.smsNumbers).toContain(sms[0].from);
		const code = codeIn(sms[0].text);

		const ok = await call(`${base}/verify-code`, { query: { accountNumber: account, authCode_nbest1: code } });
		expect(ok.status).toBe(200);
		expect(ok.text).toContain('<codeAuthentication><status>success</status></codeAuthentication>');
		const again = await call(`${base}/verify-code`, { form: { accountNumber: account, authCode_nbest1: code } });
		expect(again.text).toContain('<codeAuthentication><status>failure</status></codeAuthentication>');

		// The verify request carries the code the caller keyed in (used up by then); the send must not.
		const sends = await executionsThrough(loadTemplate('genesys').id, 'Generate and text the code');
		expect(sends.length).toBeGreaterThanOrEqual(1);
		for (const e of sends) expect(e.rawData).not.toContain(code);
	});

	test('send code: unknown account, a method other than SMS, and the send limit answer "error", no SMS', async () => {
		const since = sim.messages().length;
		const error = '<sendAuthenticationCode><status>error</status></sendAuthenticationCode>';
		expect((await call(`${base}/send-code`, { query: { accountNumber: '555', TwoFactorAuthSelectedMethod: 'SMS' } })).text).toContain(error);
		expect((await call(`${base}/send-code`, { query: { accountNumber: account, TwoFactorAuthSelectedMethod: 'Email' } })).text).toContain(error);
		expect(smsTo(phone, since)).toHaveLength(0);
		// Two codes for one account back to back: the second falls in the 30 s resend cooldown of the first
		// (or of the code the previous test sent, in which case the first is refused too).
		const first = await call(`${base}/send-code`, { form: { accountNumber: account, TwoFactorAuthSelectedMethod: 'SMS' } });
		const limited = await call(`${base}/send-code`, { form: { accountNumber: account, TwoFactorAuthSelectedMethod: 'SMS' } });
		expect(limited.status).toBe(200);
		expect(limited.text).toContain(error);
		expect(smsTo(phone, since)).toHaveLength(first.text.includes('<status>success</status>') ? 1 : 0);
	});

	test('send code: RingCentral refuses the SMS → "error", no SMS', async () => {
		sim.addFaults({ method: 'POST', path: SMS_PATH, status: 403, body: { errorCode: 'CMN-408', message: 'In order to call this API endpoint, application needs to have [SMS] permission' } });
		const r = await call(`${base}/send-code`, { query: { accountNumber: SECOND_ACCOUNT, TwoFactorAuthSelectedMethod: 'sms' } });
		expect(r.text).toContain('<sendAuthenticationCode><status>error</status></sendAuthenticationCode>');
		expect(smsTo(SECOND_PHONE)).toHaveLength(0);
		expect(sim.stats().faultsFired).toBeGreaterThanOrEqual(1);
	});

	test('verify code: wrong, unknown, malformed and exhausted codes get one identical "failure" reply', async () => {
		const replies: Reply[] = [];
		replies.push(await call(`${base}/verify-code`, { query: { accountNumber: '777000111', authCode_nbest1: '123456' } }));
		replies.push(await call(`${base}/verify-code`, { query: { accountNumber: account, authCode_nbest1: 'abc' } }));
		replies.push(await call(`${base}/verify-code`, { form: { accountNumber: account } }));
		replies.push(await call(`${base}/verify-code`, { form: { accountNumber: account, authCode_nbest1: '000000' } }));
		for (const r of replies) {
			expect(r.status).toBe(replies[0].status);
			expect(r.text).toBe(replies[0].text);
		}
		expect(replies[0].text).toContain('<codeAuthentication><status>failure</status></codeAuthentication>');
	});
});

describe('OTP by SMS verification API', () => {
	const phone = '+16505550142';

	test('without the X-Api-Key header, or with a wrong one → 403, nothing runs, no SMS', async () => {
		const since = sim.messages().length;
		for (const headers of [{}, { 'x-api-key': 'wrong' }] as Array<Record<string, string>>) {
			expect((await call('otp/send', { headers, json: { phone: '+16505550149' } })).status).toBe(403);
			expect((await call('otp/verify', { headers, json: { phone: '+16505550149', code: '123456' } })).status).toBe(403);
		}
		// This test's number only: an SMS another template accepted earlier can still land in the simulator now.
		expect(smsTo('+16505550149', since)).toHaveLength(0);
	});

	test('guard: another country, a premium-rate number and ambiguous digits → 400 with the reason, no SMS', async () => {
		const since = sim.messages().length;
		for (const [bad, reason] of [['+4795678901', /Allowed Countries/], ['+19002345678', /premium-rate/], ['4745678901', /\(CA\) or .*\(NO\)/]] as const) {
			const r = await call('otp/send', { headers: OTP_API_HEADERS, json: { phone: bad } });
			expect(r.status).toBe(400);
			expect(JSON.parse(r.text).reason).toMatch(reason);
		}
		// Neither the number written nor any reading of it got a text (other templates' SMS may still land).
		for (const n of ['+4795678901', '+19002345678', '+14745678901', '+4745678901']) expect(smsTo(n, since)).toHaveLength(0);
	});

	test('send → 200 pending with expiry, SMS delivered; verify (national spelling) → approved once; code absent from the send execution', async () => {
		const since = sim.messages().length;
		const sent = await call('otp/send', { headers: OTP_API_HEADERS, json: { phone, purpose: 'login' } });
		expect(sent.status).toBe(200);
		const body = JSON.parse(sent.text);
		expect(body.status).toBe('pending');
		expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
		expect(Date.parse(body.expiresAt)).toBeLessThanOrEqual(Date.now() + 10 * 60_000 + 5_000);
		const sms = smsTo(phone, since);
		expect(sms).toHaveLength(1);
		const code = codeIn(sms[0].text);
		expect(sent.text).not.toContain(code);

		// The purpose is fixed in the workflow: one in the body changes nothing.
		const ok = await call('otp/verify', { headers: OTP_API_HEADERS, json: { phone: '(650) 555-0142', code, purpose: 'payment' } });
		expect(ok.status).toBe(200);
		expect(JSON.parse(ok.text)).toEqual({ status: 'approved' });
		const reused = await call('otp/verify', { headers: OTP_API_HEADERS, json: { phone, code, purpose: 'login' } });
		expect(reused.status).toBe(403);

		const sends = await executionsThrough(loadTemplate('otpApi').id, 'Generate and text the code');
		expect(sends.length).toBeGreaterThanOrEqual(1);
		for (const e of sends) expect(e.rawData).not.toContain(code);
	});

	test('an invalid number → 400 with a reason and no SMS; a second code within the cooldown → 429 with Retry-After', async () => {
		const since = sim.messages().length;
		for (const bad of ['+1 650 111 2222', '12', 'not a phone']) {
			const r = await call('otp/send', { headers: OTP_API_HEADERS, json: { phone: bad } });
			expect(r.status).toBe(400);
			const b = JSON.parse(r.text);
			expect(b.status).toBe('error');
			expect(typeof b.reason).toBe('string');
			expect(b.reason.length).toBeGreaterThan(5);
		}
		expect(sim.messages().length).toBe(since);

		const other = '+16505550143';
		expect((await call('otp/send', { headers: OTP_API_HEADERS, json: { phone: other } })).status).toBe(200);
		const limited = await call('otp/send', { headers: OTP_API_HEADERS, json: { phone: other } });
		expect(limited.status).toBe(429);
		expect(JSON.parse(limited.text).status).toBe('error');
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(smsTo(other, since)).toHaveLength(1);
	});

	test('RingCentral refuses the SMS → 502 with the reason, no SMS', async () => {
		const target = '+16505550144';
		sim.addFaults({
			method: 'POST',
			path: SMS_PATH,
			status: 403,
			body: { errorCode: 'CMN-408', message: 'In order to call this API endpoint, application needs to have [SMS] permission' },
		});
		const r = await call('otp/send', { headers: OTP_API_HEADERS, json: { phone: target } });
		expect(r.status).toBe(502);
		const b = JSON.parse(r.text);
		expect(b.status).toBe('error');
		expect(b.reason).toMatch(/could not be sent/i);
		expect(smsTo(target)).toHaveLength(0);
	});

	test('every denial looks the same: wrong, unknown, malformed, missing and too many attempts', async () => {
		const target = '+16505550145';
		const since = sim.messages().length;
		expect((await call('otp/send', { headers: OTP_API_HEADERS, json: { phone: target } })).status).toBe(200);
		const code = codeIn(smsTo(target, since)[0].text);
		const wrong = code === '000000' ? '111111' : '000000';
		const replies: Reply[] = [];
		replies.push(await call('otp/verify', { headers: OTP_API_HEADERS, json: { phone: '+16505550146', code: '123456' } })); // unknown
		replies.push(await call('otp/verify', { headers: OTP_API_HEADERS, json: { phone: target, code: '12a4' } })); // malformed
		replies.push(await call('otp/verify', { headers: OTP_API_HEADERS, json: { phone: target } })); // missing code
		for (let i = 0; i < 5; i++) replies.push(await call('otp/verify', { headers: OTP_API_HEADERS, json: { phone: target, code: wrong } }));
		replies.push(await call('otp/verify', { headers: OTP_API_HEADERS, json: { phone: target, code } })); // right code, attempts used up
		for (const r of replies) {
			expect(r.status).toBe(403);
			expect(r.text).toBe(replies[0].text);
		}
		expect(JSON.parse(replies[0].text)).toEqual({ status: 'denied' });
	});
});
