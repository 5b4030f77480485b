/** privacyIDEA HttpSMSProvider → RingCentral: answers at once (privacyIDEA gives up after 3 s). */
import { Template } from './lib';
import { gatewayReply, gatewayTrigger, sendSms } from './gateway-nodes';

const PATH = 'ringcentral/privacyidea';
/** privacyIDEA's HttpSMSProvider sends Basic auth (USERNAME/PASSWORD): a Basic credential of its own. */
export const PRIVACYIDEA_CREDENTIAL = { id: 'rcSmsGwPiBasic01', name: 'privacyIDEA caller (Basic)' };
export const PRIVACYIDEA_SAMPLE_AUTH = { user: 'privacyidea', password: 'change-me-privacyidea' };

export function privacyIdea(): Template {
	const t = new Template(
		'privacyidea-sms-gateway',
		'privacyIDEA SMS gateway → RingCentral SMS',
		'The HttpSMSProvider URL for privacyIDEA: GET or POST (form or JSON) with phone and text; replies "SENT" at once or 4xx "FAILED: <reason>".',
	);
	const trigger = gatewayTrigger(t, 'privacyIDEA calls this URL', [0, 160], {
		path: PATH,
		preset: 'privacyIdea',
		auth: PRIVACYIDEA_CREDENTIAL,
		fields: { replyTiming: 'immediately', replyFormat: 'text', successStatus: 200, successBody: 'SENT', failureBody: 'FAILED: {reason}' },
		duplicateWindowSeconds: 30,
	});
	const send = sendSms(t, 'Send SMS', [300, 160], { timeoutSeconds: 30 });
	// privacyIDEA has its answer already; this node records the outcome (and settles the duplicate window).
	const reply = gatewayReply(t, 'Record the outcome', [600, 160]);
	t.connect(trigger, send);
	t.connect(send, reply);

	t.sticky(
		`
## privacyIDEA → RingCentral SMS
SMS tokens of privacyIDEA are texted from your RingCentral number.

### In n8n (once)
1. **privacyIDEA calls this URL** → credential **SMS Gateway Auth**: Authentication **Basic Auth**, a user name and a long random password (\`openssl rand -hex 24\`). Without it the URL texts nobody (401).
2. **Send SMS** → credential **RingCentral JWT API**.
3. **Publish** the workflow.

### Why it answers at once
privacyIDEA waits only **3 seconds** for an answer, so this workflow replies as soon as the request is valid and sends the SMS right after. A send that RingCentral refuses shows up as a failed item in **Executions** (add an e-mail or chat alert after *Send SMS* if you want to hear about it).
`,
		[-420, -340],
		[560, 400],
		4,
	);
	t.sticky(
		`
## In privacyIDEA (Config → SMS gateways, provider HttpSMSProvider)
- **URL**: \`https://<your n8n>/webhook/${PATH}\`
- **HTTP_METHOD**: GET or POST (for JSON set SEND_DATA_AS_JSON)
- **USERNAME** / **PASSWORD**: the user and password of the n8n credential
- Options: \`phone\` = \`{phone}\`, \`text\` = \`{otp}\` (or a message with {otp})
- **RETURN_SUCCESS**: \`SENT\`  —  **RETURN_FAIL**: \`FAILED\`
`,
		[160, -340],
		[520, 400],
		5,
	);
	t.sticky(
		`
## What privacyIDEA reads back (text/plain)
- **200** \`SENT\` — the request was valid; the SMS is on its way.
- **4xx** \`FAILED: <reason>\` — nothing was sent: 401 wrong or missing USERNAME/PASSWORD, 400 invalid or ambiguous number, a country outside *Allowed Countries* (default: US only) or a premium-rate number, or missing text, 429 too many SMS to one number, 405 another HTTP method, 413/415 unreadable body.
`,
		[700, -340],
		[460, 400],
		6,
	);
	t.sample({ title: 'privacyIDEA GET', method: 'GET', path: PATH, query: { phone: '+16505550123', text: '271828' }, basicAuth: PRIVACYIDEA_SAMPLE_AUTH });
	t.sample({ title: 'privacyIDEA POST JSON', method: 'POST', path: PATH, contentType: 'json', body: { phone: '+16505550123', text: '271828' }, basicAuth: PRIVACYIDEA_SAMPLE_AUTH });
	return t;
}
