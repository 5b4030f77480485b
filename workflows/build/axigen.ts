/** Axigen X6 SMS connector (2-step verification, account recovery) → RingCentral, with caller authentication. */
import { ifParams, Template } from './lib';
import { gatewayReply, gatewayTrigger, sendSms } from './gateway-nodes';

const PATH = 'ringcentral/axigen';
export const AXIGEN_SAMPLE_AUTH = { user: 'axigen', password: 'change-me-axigen' };

export function axigen(): Template {
	const t = new Template(
		'axigen-sms-connector',
		'Axigen SMS connector → RingCentral SMS',
		'The SMS connector URL for Axigen 2-step verification and account recovery: GET with query, POST JSON or POST form with to, text and optional from; Basic authentication; JSON replies.',
	);
	const trigger = gatewayTrigger(t, 'Axigen calls this URL', [-160, 260], {
		path: PATH,
		preset: 'axigen',
		auth: 'shared',
		fields: { toNames: 'to', textNames: 'text, body, message', fromNames: 'from' },
		duplicateWindowSeconds: 30,
	});
	// The requested From is used when it is one of this extension's SMS numbers; otherwise RingCentral refuses
	// it and the message goes out from the default number instead (the refusal costs no SMS).
	const send = sendSms(t, 'Send SMS', [120, 260], { from: "={{ $json.from || 'auto' }}", timeoutSeconds: 15 });
	const refused = t.node(
		'From number refused?',
		'n8n-nodes-base.if',
		2.2,
		[400, 260],
		ifParams('fromRefused', [
			{
				left: "={{ !!$('Axigen calls this URL').item.json.from && ($json.field === 'from' || ['MSG-245', 'MSG-367'].includes($json.errorCode)) }}",
				op: 'true',
			},
		]),
	);
	const fallback = sendSms(t, 'Send SMS from the default number', [680, 120], {
		to: "={{ $('Axigen calls this URL').item.json.to }}",
		text: "={{ $('Axigen calls this URL').item.json.text }}",
		timeoutSeconds: 15,
	});
	const reply = gatewayReply(t, 'Reply to Axigen', [960, 260]);
	t.connect(trigger, send);
	t.connect(send, refused);
	t.connect(refused, fallback, 0);
	t.connect(refused, reply, 1);
	t.connect(fallback, reply);

	t.sticky(
		`
## Axigen SMS connector → RingCentral SMS
Axigen's 2-step verification and account-recovery codes are texted from your RingCentral number.

### In n8n (once)
1. **Axigen calls this URL** → credential **SMS Gateway Auth**: type **Basic**, a user name and a long random password (Axigen sends them).
2. **Send SMS** and **Send SMS from the default number** → credential **RingCentral JWT API**.
3. **Publish** the workflow.

### Sender
An optional \`from\` is used when it is one of this RingCentral extension's SMS numbers; any other value is ignored and the extension's first SMS number sends instead.
`,
		[-420, -340],
		[560, 400],
		4,
	);
	t.sticky(
		`
## In Axigen (SMS connector, Axigen X6 10.6+)
- **URL**: \`https://<your n8n>/webhook/${PATH}\` (no query string)
- **Method**: GET or POST; **Content type**: none (GET), JSON or form-urlencoded
- **toParamName** \`to\`, **bodyParamName** \`text\`, **fromParamName** \`from\` (optional)
- **Authentication**: Basic, the user and password of the n8n credential
`,
		[160, -340],
		[520, 400],
		5,
	);
	t.sticky(
		`
## What Axigen reads back (JSON)
- **200** \`{"status":"sent","messageId":"…"}\` — RingCentral accepted the SMS.
- **400** invalid number or missing text, **502** RingCentral refused, **504** no answer within 15 s (may still arrive, not re-sent): \`{"status":"failed","error":"<code>","message":"<reason>"}\`.
- **401** wrong or missing Basic credentials: nothing runs.
`,
		[700, -340],
		[500, 400],
		6,
	);
	const basicAuth = AXIGEN_SAMPLE_AUTH;
	t.sample({ title: 'Axigen GET', method: 'GET', path: PATH, query: { to: '+16505550123', text: 'Your Axigen code is 301574' }, basicAuth });
	t.sample({ title: 'Axigen POST JSON with from', method: 'POST', path: PATH, contentType: 'json', body: { to: '+16505550123', text: 'Your Axigen code is 301574', from: '+16505550100' }, basicAuth });
	t.sample({ title: 'Axigen POST form', method: 'POST', path: PATH, contentType: 'form', body: { to: '+16505550123', text: 'Your Axigen code is 301574' }, basicAuth });
	return t;
}
