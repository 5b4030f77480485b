/** Genesys Intelligent Automation — the three external two-factor web services, codes by RingCentral SMS. */
import { ifParams, param, respondParams, setParams, Template, webhookParams } from './lib';
import { otpGenerateNode, otpVerifyNode } from './otp-nodes';

const BASE = 'ringcentral/genesys';
const XML = 'application/xml; charset=utf-8';

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;

export function genesys(): Template {
	const t = new Template(
		'genesys-ia-two-factor',
		'Genesys IA two-factor authentication by RingCentral SMS',
		'Check Verified Contact Methods, Send Authentication Code and Code Authentication for the Genesys Intelligent Automation two-factor MicroApp (external mode). Codes are generated and checked here and texted from your RingCentral number.',
	);

	// ---- Check Verified Contact Methods ----
	const cmHook = t.node('Genesys: contact methods', 'n8n-nodes-base.webhook', 2.1, [-200, 160], webhookParams(`${BASE}/contact-methods`, ['GET', 'POST']), {
		webhook: true,
	});
	const cmRead = t.node('Read contact-methods request', 'n8n-nodes-base.set', 3.4, [80, 160], setParams('cm', { accountNumber: `={{ String(${param('accountNumber')}).trim() }}` }));
	t.connect(cmHook, cmRead, 0);
	t.connect(cmHook, cmRead, 1);

	// ---- Send Authentication Code ----
	const scHook = t.node('Genesys: send code', 'n8n-nodes-base.webhook', 2.1, [-200, 520], webhookParams(`${BASE}/send-code`, ['GET', 'POST']), {
		webhook: true,
	});
	const scRead = t.node(
		'Read send-code request',
		'n8n-nodes-base.set',
		3.4,
		[80, 520],
		setParams('sc', {
			accountNumber: `={{ String(${param('accountNumber')}).trim() }}`,
			selectedMethod: `={{ String(${param('TwoFactorAuthSelectedMethod')}).trim() }}`,
		}),
	);
	t.connect(scHook, scRead, 0);
	t.connect(scHook, scRead, 1);

	// ---- The one node the admin replaces ----
	const directory = t.node(
		'Account directory — replace with your CRM lookup',
		'n8n-nodes-base.code',
		2,
		[360, 340],
		{
			mode: 'runOnceForEachItem',
			jsCode: [
				'// ACCOUNT DIRECTORY — replace this node with your CRM lookup (HTTP Request, Postgres, Salesforce, …).',
				'// In: one item per request with `accountNumber`.',
				'// Out: the same item with `phone` = the account\'s verified mobile number (E.164 such as +16505550123,',
				'// or a US national number), or an empty `phone` when the account is unknown or has no mobile number.',
				'const accounts = {',
				"\t'100200300': '+16505550123', // sample account: delete this line",
				'};',
				"const phone = accounts[String($json.accountNumber ?? '').trim()] ?? '';",
				'return { json: { ...$json, phone } };',
				'',
			].join('\n'),
		},
		{ notesInFlow: true, notes: 'Sample: 100200300 → +16505550123' },
	);
	t.connect(cmRead, directory);
	t.connect(scRead, directory);

	// Which of the two services asked: read from the trigger, so it still works after the directory is replaced.
	const which = t.node('Contact-methods request?', 'n8n-nodes-base.if', 2.2, [640, 340], ifParams('which', [{ left: `={{ $('Genesys: contact methods').isExecuted }}`, op: 'true' }]));
	t.connect(directory, which);

	// Contact methods: SMS is offered when the account has a phone.
	const hasPhone = t.node('Account has a phone?', 'n8n-nodes-base.if', 2.2, [900, 160], ifParams('hasPhone', [{ left: '={{ $json.phone }}', op: 'notEmpty' }]));
	t.connect(which, hasPhone, 0);
	const cmOk = t.node(
		'Reply: SMS available',
		'n8n-nodes-base.respondToWebhook',
		1.5,
		[1180, 60],
		respondParams({
			kind: 'text',
			status: 200,
			contentType: XML,
			body: xml('<checkVerifiedContactMethods><status>success</status><methods><method name="SMS"/></methods></checkVerifiedContactMethods>'),
		}),
	);
	const cmNone = t.node(
		'Reply: not found',
		'n8n-nodes-base.respondToWebhook',
		1.5,
		[1180, 260],
		respondParams({
			kind: 'text',
			status: 200,
			contentType: XML,
			body: xml('<checkVerifiedContactMethods><status>not found</status><methods/></checkVerifiedContactMethods>'),
		}),
	);
	t.connect(hasPhone, cmOk, 0);
	t.connect(hasPhone, cmNone, 1);

	// Send code: only by SMS, only to a known phone.
	const canSend = t.node(
		'SMS chosen and phone known?',
		'n8n-nodes-base.if',
		2.2,
		[900, 520],
		ifParams('canSend', [
			{ left: '={{ $json.phone }}', op: 'notEmpty' },
			{ left: `={{ $('Read send-code request').item.json.selectedMethod.toUpperCase() }}`, op: 'equals', right: 'SMS' },
		]),
	);
	t.connect(which, canSend, 1);
	const sendCode = otpGenerateNode(t, 'Generate and text the code', [1180, 460], {
		identifier: `={{ $('Read send-code request').item.json.accountNumber }}`,
		identifierType: 'text',
		sendTo: '={{ $json.phone }}',
		purpose: 'genesys-ia-2fa',
		template: 'Your verification code is {code}. It expires in {minutes} minutes.',
	});
	t.connect(canSend, sendCode.name, 0);
	const scOk = t.node(
		'Reply: code sent',
		'n8n-nodes-base.respondToWebhook',
		1.5,
		[1500, 400],
		respondParams({ kind: 'text', status: 200, contentType: XML, body: xml('<sendAuthenticationCode><status>success</status></sendAuthenticationCode>') }),
	);
	const scErr = t.node(
		'Reply: cannot send',
		'n8n-nodes-base.respondToWebhook',
		1.5,
		[1500, 640],
		respondParams({ kind: 'text', status: 200, contentType: XML, body: xml('<sendAuthenticationCode><status>error</status></sendAuthenticationCode>') }),
	);
	t.connect(sendCode.name, scOk, sendCode.issued);
	// Limits, bad numbers and failures alike: Genesys only knows success and error.
	t.connect(sendCode.name, scErr, sendCode.notIssued);
	t.connect(canSend, scErr, 1);

	// ---- Code Authentication ----
	const vcHook = t.node('Genesys: verify code', 'n8n-nodes-base.webhook', 2.1, [-200, 900], webhookParams(`${BASE}/verify-code`, ['GET', 'POST']), {
		webhook: true,
	});
	const vcRead = t.node(
		'Read verify-code request',
		'n8n-nodes-base.set',
		3.4,
		[80, 900],
		setParams('vc', {
			accountNumber: `={{ String(${param('accountNumber')}).trim() }}`,
			code: `={{ String(${param('authCode_nbest1')}).trim() }}`,
		}),
	);
	t.connect(vcHook, vcRead, 0);
	t.connect(vcHook, vcRead, 1);
	const verify = otpVerifyNode(t, 'Check the code', [360, 900], {
		identifier: '={{ $json.accountNumber }}',
		identifierType: 'text',
		code: '={{ $json.code }}',
		purpose: 'genesys-ia-2fa',
	});
	t.connect(vcRead, verify.name);
	const vcOk = t.node(
		'Reply: code correct',
		'n8n-nodes-base.respondToWebhook',
		1.5,
		[640, 800],
		respondParams({ kind: 'text', status: 200, contentType: XML, body: xml('<codeAuthentication><status>success</status></codeAuthentication>') }),
	);
	const vcNo = t.node(
		'Reply: code refused',
		'n8n-nodes-base.respondToWebhook',
		1.5,
		[640, 1000],
		respondParams({ kind: 'text', status: 200, contentType: XML, body: xml('<codeAuthentication><status>failure</status></codeAuthentication>') }),
	);
	t.connect(verify.name, vcOk, verify.approved);
	// A broken store or credential answers like a wrong code: Genesys only knows success and failure.
	t.connect(verify.name, vcNo, verify.denied);

	notes(t);
	t.sample({ title: 'Check Verified Contact Methods', method: 'GET', path: `${BASE}/contact-methods`, query: { accountNumber: '100200300' } });
	t.sample({
		title: 'Send Authentication Code (texts +16505550123)',
		method: 'POST',
		path: `${BASE}/send-code`,
		contentType: 'form',
		body: { accountNumber: '100200300', TwoFactorAuthSelectedMethod: 'SMS' },
	});
	t.sample({
		title: 'Code Authentication (use the code from the SMS)',
		method: 'POST',
		path: `${BASE}/verify-code`,
		contentType: 'form',
		body: { accountNumber: '100200300', authCode_nbest1: '123456' },
	});
	return t;
}

function notes(t: Template): void {
	t.sticky(
		`
## Genesys IA two-factor by RingCentral SMS
Genesys Intelligent Automation's **two-factor MicroApp** in **external** mode calls three web services. This workflow is all three: it looks the caller's account up, texts a one-time code from your RingCentral number and checks the code the caller keys in. Genesys never sees the code.

### In n8n (once)
1. **Generate and text the code** → credential **RingCentral JWT API** (your RingCentral app) and credential **OTP Store** (pepper: run \`openssl rand -hex 32\`; Store Type **Memory**).
2. **Check the code** → the same **OTP Store** credential.
3. Replace **Account directory** with your CRM lookup (keep the output field \`phone\`).
4. **Publish** the workflow.

### Memory or Redis?
Memory works out of the box with one n8n process. Switch the OTP Store credential to **Redis** when n8n runs in queue mode or on several instances (or a restart must not drop running codes): otherwise the verify request may land on a process that never saw the code.
`,
		[-560, -380],
		[620, 480],
		4,
	);
	t.sticky(
		`
## In Genesys IA (MicroApp → two-factor → External)
Base URL: \`https://<your n8n>/webhook/${BASE}\` — method GET or POST (query string or form).

**Check Verified Contact Methods** → \`…/contact-methods\`
parameter \`accountNumber\` (the account number collected in the call)

**Send Authentication Code** → \`…/send-code\`
parameters \`accountNumber\`, \`TwoFactorAuthSelectedMethod\` = \`SMS\`

**Code Authentication** → \`…/verify-code\`
parameters \`accountNumber\`, \`authCode_nbest1\`

Set the MicroApp's **number of digits to 6** and **code expiry to 10 minutes** (OTP Generate's defaults). Another parameter name? Change it in the three *Read … request* nodes.
`,
		[100, -380],
		[560, 480],
		5,
	);
	t.sticky(
		`
## What Genesys reads back (XML, HTTP 200)
- **contact-methods**: \`success\` with \`<method name="SMS"/>\` = known account with a phone; \`not found\` = unknown account or no phone.
- **send-code**: \`success\` = RingCentral accepted the SMS. \`error\` = unknown account, a method other than SMS, the send limit was reached (5 codes per 10 minutes per account, 30 s between codes) or RingCentral refused.
- **verify-code**: \`success\` = correct code (single use). \`failure\` = anything else — wrong, expired, unknown, too many attempts; the reply is the same for all (the execution shows the reason).
`,
		[700, -380],
		[560, 320],
		6,
	);
}
