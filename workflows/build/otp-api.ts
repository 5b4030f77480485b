/** A JSON phone-verification API for any app: POST otp/send, POST otp/verify (Twilio Verify-like). */
import { ifParams, respondParams, Template, webhookParams, type Params } from './lib';
import { IS_INPUT_ERROR, IS_RATE_LIMITED, IS_SEND_FAILURE, IS_UNAVAILABLE, otpGenerateNode, otpVerifyNode } from './otp-nodes';

const JSON_TYPE = 'application/json; charset=utf-8';
/** The header your app sends with every call, checked by n8n's Webhook node (Header Auth) before anything runs. */
export const OTP_API_HEADER = 'X-Api-Key';
/** A sample token for `npm start` and the README; every real install sets its own. */
export const OTP_API_SAMPLE_TOKEN = 'change-me-otp-api-token';
/**
 * Fixed here, never read from the request: a caller that picked the purpose could have a code issued for one
 * purpose ("login") approved for another ("payment").
 */
export const OTP_API_PURPOSE = 'login';

/** n8n's Webhook node with Header Auth: a call without the right header gets 403 and runs nothing. */
function authedWebhookParams(path: string): Params {
	return { ...webhookParams(path, ['POST']), authentication: 'headerAuth' };
}
const body = (expr: string) => `={{ JSON.stringify(${expr}) }}`;

export function otpApi(): Template {
	const t = new Template(
		'otp-sms-api',
		'OTP by SMS: verification API (send and verify)',
		'POST otp/send texts a one-time code from your RingCentral number; POST otp/verify checks it. JSON in, JSON out; the code never appears in n8n execution data of the send.',
	);

	// ---- POST otp/send ----
	const sendHook = t.node('POST otp/send', 'n8n-nodes-base.webhook', 2.1, [-200, 160], authedWebhookParams('otp/send'), { webhook: true, credentials: ['httpHeaderAuth'] });
	const gen = otpGenerateNode(t, 'Generate and text the code', [80, 160], {
		identifier: "={{ String($json.body?.phone ?? '') }}",
		identifierType: 'phone',
		sendTo: '',
		purpose: OTP_API_PURPOSE,
		template: 'Your verification code is {code}. It expires in {minutes} minutes.',
	});
	t.connect(sendHook, gen.name);
	const pending = t.node(
		'Reply 200 pending',
		'n8n-nodes-base.respondToWebhook',
		1.5,
		[420, 20],
		respondParams({ kind: 'json', status: 200, contentType: JSON_TYPE, body: body("{ status: 'pending', expiresAt: $json.expiresAt }") }),
	);
	t.connect(gen.name, pending, gen.issued);

	const tooMany = t.node('Reply 429 too many', 'n8n-nodes-base.respondToWebhook', 1.5, [420, 200], {
		respondWith: 'json',
		responseBody: body("{ status: 'error', reason: 'too many codes were requested for this number; try again later', retryAfterSeconds: $json.retryAfterSeconds }"),
		options: {
			responseCode: 429,
			responseHeaders: {
				entries: [
					{ name: 'Content-Type', value: JSON_TYPE },
					{ name: 'Retry-After', value: '={{ String($json.retryAfterSeconds ?? 60) }}' },
				],
			},
		},
	});
	const limited = t.node('Too many codes?', 'n8n-nodes-base.if', 2.2, [420, 300], ifParams('limited', [{ left: IS_RATE_LIMITED, op: 'true' }]));
	t.connect(gen.name, limited, gen.notIssued);
	t.connect(limited, tooMany, 0);

	const whose = t.node('Bad phone number?', 'n8n-nodes-base.if', 2.2, [700, 400], ifParams('whose', [{ left: IS_INPUT_ERROR, op: 'true' }]));
	t.connect(limited, whose, 1);
	const invalid = t.node(
		'Reply 400 invalid number',
		'n8n-nodes-base.respondToWebhook',
		1.5,
		[980, 320],
		respondParams({ kind: 'json', status: 400, contentType: JSON_TYPE, body: body("{ status: 'error', reason: $json.error }") }),
	);
	t.connect(whose, invalid, 0);
	const notSent = t.node('RingCentral refused?', 'n8n-nodes-base.if', 2.2, [980, 500], ifParams('notSent', [{ left: IS_SEND_FAILURE, op: 'true' }]));
	t.connect(whose, notSent, 1);
	// Our own sentence about the SMS (no code, no internals); a store or credential problem stays in the execution.
	const failed = t.node(
		'Reply 502 not sent',
		'n8n-nodes-base.respondToWebhook',
		1.5,
		[1260, 420],
		respondParams({ kind: 'json', status: 502, contentType: JSON_TYPE, body: body("{ status: 'error', reason: $json.error }") }),
	);
	t.connect(notSent, failed, 0);
	const sendUnavailable = t.node(
		'Reply 503 unavailable (send)',
		'n8n-nodes-base.respondToWebhook',
		1.5,
		[1260, 600],
		respondParams({ kind: 'json', status: 503, contentType: JSON_TYPE, body: '{\n  "status": "error",\n  "reason": "codes cannot be sent right now; try again later"\n}' }),
	);
	t.connect(notSent, sendUnavailable, 1);

	// ---- POST otp/verify ----
	const verifyHook = t.node('POST otp/verify', 'n8n-nodes-base.webhook', 2.1, [1000, 160], authedWebhookParams('otp/verify'), { webhook: true, credentials: ['httpHeaderAuth'] });
	const verify = otpVerifyNode(t, 'Check the code', [1260, 160], {
		identifier: "={{ String($json.body?.phone ?? '') }}",
		identifierType: 'phone',
		code: "={{ String($json.body?.code ?? '') }}",
		purpose: OTP_API_PURPOSE,
	});
	t.connect(verifyHook, verify.name);
	const approved = t.node(
		'Reply 200 approved',
		'n8n-nodes-base.respondToWebhook',
		1.5,
		[1540, 20],
		respondParams({ kind: 'json', status: 200, contentType: JSON_TYPE, body: '{\n  "status": "approved"\n}' }),
	);
	const denied = t.node(
		'Reply 403 denied',
		'n8n-nodes-base.respondToWebhook',
		1.5,
		[1820, 340],
		respondParams({ kind: 'json', status: 403, contentType: JSON_TYPE, body: '{\n  "status": "denied"\n}' }),
	);
	t.connect(verify.name, approved, verify.approved);
	const broken = t.node('Store or setup broken?', 'n8n-nodes-base.if', 2.2, [1540, 240], ifParams('broken', [{ left: IS_UNAVAILABLE, op: 'true' }]));
	t.connect(verify.name, broken, verify.denied);
	const unavailable = t.node(
		'Reply 503 unavailable',
		'n8n-nodes-base.respondToWebhook',
		1.5,
		[1820, 160],
		respondParams({ kind: 'json', status: 503, contentType: JSON_TYPE, body: '{\n  "status": "error",\n  "reason": "verification is unavailable; try again later"\n}' }),
	);
	t.connect(broken, unavailable, 0);
	t.connect(broken, denied, 1);

	notes(t);
	const headers = { [OTP_API_HEADER]: OTP_API_SAMPLE_TOKEN };
	t.sample({ title: 'Send a code', method: 'POST', path: 'otp/send', contentType: 'json', body: { phone: '+16505550123' }, headers });
	t.sample({
		title: 'Verify the code (use the one from the SMS)',
		method: 'POST',
		path: 'otp/verify',
		contentType: 'json',
		body: { phone: '+16505550123', code: '123456' },
		headers,
	});
	return t;
}

function notes(t: Template): void {
	t.sticky(
		`
## OTP by SMS — a verification API for any app
Your app calls two URLs; n8n generates the code, texts it from your RingCentral number and checks it. The code is sent by the OTP node itself, so it **never appears in the execution data** of the send.

### In n8n (once)
1. **POST otp/send** and **POST otp/verify** → credential **Header Auth**: Name \`X-Api-Key\`, Value = a long random string (\`openssl rand -hex 24\`). Your app sends that header with every call; without it n8n answers 403 and nothing runs.
2. **Generate and text the code** → credential **RingCentral JWT API** and credential **OTP Store** (pepper: \`openssl rand -hex 32\`, Store Type **Memory**).
3. **Check the code** → the same **OTP Store** credential.
4. **Publish** the workflow.

The purpose is fixed in both OTP nodes (\`login\`), never taken from the request: for another purpose, duplicate the workflow (other paths) and change it in both nodes.

### Memory or Redis?
Memory works out of the box with one n8n process. Switch the OTP Store credential to **Redis** for queue mode or several n8n instances (or when a restart must not drop running codes).

Note: the code your app sends to \`otp/verify\` is in that request, so it shows in the verify execution — by then it is used up or wrong.
`,
		[-240, -470],
		[600, 460],
		4,
	);
	t.sticky(
		`
## Your app calls (JSON)
Every call carries the header \`X-Api-Key: <the value of the Header Auth credential>\` (\`403\` without it).

**POST** \`https://<your n8n>/webhook/otp/send\`
\`{"phone": "+16505550123"}\`
- \`200 {"status":"pending","expiresAt":"…"}\` — code texted, valid 10 minutes
- \`400 {"status":"error","reason":"…"}\` — not a valid mobile number, outside *Allowed Countries* (US only by default), or a premium-rate or similar number
- \`429 {"status":"error",…}\` + \`Retry-After\` — too many codes (5 per 10 min, 30 s apart)
- \`502 {"status":"error","reason":"…"}\` — RingCentral did not take the SMS (that code is void)
- \`503 {"status":"error",…}\` — the OTP store or a credential is broken (e.g. Redis down, pepper too short); no code was sent

**POST** \`https://<your n8n>/webhook/otp/verify\`
\`{"phone": "+16505550123", "code": "123456"}\`
- \`200 {"status":"approved"}\` — correct; the code is now used up
- \`403 {"status":"denied"}\` — wrong, expired, unknown or too many attempts (always the same reply; the execution shows the reason)
- \`503 {"status":"error",…}\` — the OTP store or its credential is broken (e.g. Redis down, pepper too short); nothing was approved
`,
		[400, -470],
		[760, 460],
		5,
	);
}
