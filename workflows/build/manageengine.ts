/** The seed recipe: ManageEngine ADSelfService Plus "Custom" SMS provider → RingCentral, no Zapier. */
import { Template } from './lib';
import { gatewayReply, gatewayTrigger, sendSms } from './gateway-nodes';

const PATH = 'ringcentral/manageengine';
/** The query-token credential the template ships with: its own, since Axigen's is Basic. */
export const MANAGEENGINE_CREDENTIAL = { id: 'rcSmsGwMeToken01', name: 'ManageEngine caller token' };
/** A sample token for `npm start` and the README; every real install sets its own. */
export const MANAGEENGINE_SAMPLE_TOKEN = 'change-me-manageengine-token';

export function manageEngine(): Template {
	const t = new Template(
		'manageengine-adselfservice-sms',
		'ManageEngine ADSelfService Plus → RingCentral SMS',
		'The custom SMS provider for ManageEngine ADSelfService Plus / ADManager Plus: GET or POST with mobileNumber and message, texted from your RingCentral number; replies "success" or "failure: <reason>".',
	);
	const trigger = gatewayTrigger(t, 'ManageEngine calls this URL', [0, 160], {
		path: PATH,
		preset: 'manageEngine',
		auth: MANAGEENGINE_CREDENTIAL,
		fields: { successBody: 'success', failureBody: 'failure: {reason}', defaultCountry: 'US', methods: 'GET,POST' },
		duplicateWindowSeconds: 30,
	});
	const send = sendSms(t, 'Send SMS', [300, 160], { timeoutSeconds: 15 });
	const reply = gatewayReply(t, 'Reply success or failure', [600, 160]);
	t.connect(trigger, send);
	t.connect(send, reply);

	t.sticky(
		`
## ManageEngine ADSelfService Plus → RingCentral SMS
Password-reset and enrollment codes from ADSelfService Plus (also ADManager Plus) are texted from your company's RingCentral number. No Zapier, no middleware: n8n is the "Custom" SMS provider.

### In n8n (once)
1. Open **ManageEngine calls this URL** → credential **SMS Gateway Auth**: Authentication **Query Token**, Parameter Name \`token\`, Token = a long random string (\`openssl rand -hex 24\`). Without it the URL texts nobody (401).
2. Open **Send SMS** → credential **RingCentral JWT API** (your RingCentral app: Client ID, Client Secret, JWT). *From* = *Automatic* texts from the extension's first SMS number; pick another in the list if you like.
3. **Publish** the workflow. The URL to give ManageEngine is the trigger's production URL:
\`https://<your n8n>/webhook/${PATH}\`

### Phone numbers
Numbers arrive without "+": \`16505550123\` and \`6505550123\` both become +16505550123 (default country **US**). Only US numbers are texted until you add countries in the trigger's *Options → Allowed Countries* (e.g. \`US, CA\`); digits that are a valid number in two countries are refused, never guessed.
`,
		[-420, -340],
		[560, 460],
		4,
	);
	t.sticky(
		`
## In ADSelfService Plus
**Admin → Product Settings → Mail/SMS Settings**
1. SMS Provider: **Custom**, **Send SMS via HTTP(S)**
2. HTTP(S) URL: \`https://<your n8n>/webhook/${PATH}\`
3. HTTP Method: **GET** or **POST** (both work)
4. Parameters: \`mobileNumber=%mobNo%&message=%message%&token=<the token of the n8n credential>\`
5. **Success response**: \`success\`
6. **Failure response**: \`failure\`
7. Save, then send a test SMS to your own mobile.
`,
		[160, -340],
		[460, 460],
		5,
	);
	t.sticky(
		`
## What ManageEngine reads back
- **200** \`success\` — RingCentral accepted the SMS.
- **4xx/5xx** \`failure: <reason>\` — nothing usable was sent:
  - **401** missing or wrong \`token\` in the parameters;
  - **400** not a valid mobile number (or one in two countries), a country outside *Allowed Countries*, a premium-rate or similar number, or no message;
  - **429** too many SMS to one number (5 a minute, 20 an hour) or from one address;
  - **502** RingCentral refused (e.g. the From number cannot send SMS — the reason says which numbers can);
  - **504** RingCentral did not answer within 15 s: the SMS *may* still arrive and is **not** re-sent.
- A failure reply never contains the word "success".
- ManageEngine re-sending the same text to the same number within 30 s gets the first reply and no second SMS.
`,
		[640, -340],
		[500, 460],
		6,
	);
	t.sample({
		title: 'ManageEngine GET (number without +, as from AD)',
		method: 'GET',
		path: PATH,
		query: { mobileNumber: '16505550123', message: 'Your ADSelfService Plus verification code is 482913', token: MANAGEENGINE_SAMPLE_TOKEN },
	});
	t.sample({
		title: 'ManageEngine POST form (10-digit US number)',
		method: 'POST',
		path: PATH,
		contentType: 'form',
		body: { mobileNumber: '6505550123', message: 'Your password was reset.', token: MANAGEENGINE_SAMPLE_TOKEN },
	});
	return t;
}
