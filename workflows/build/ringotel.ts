/**
 * Ringotel single sign-on: n8n is the identity provider Ringotel posts `{username, password}` to. The
 * password is checked against the company directory (Directory Login), optionally with a TOTP code typed
 * after it; Ringotel gets 200 with the usernames, 403, or 503 when the directory cannot answer.
 */
import { PKG, Template, ifParams, respondParams, webhookParams } from './lib';

export const RINGOTEL_PATH = 'ringotel/authorize';
export const ENROL_PATH = 'ringotel/enrol';
export const CONFIRM_PATH = 'ringotel/enrol/confirm';
/** Ringotel's request_auth: Basic (or Bearer) with values of our own, in a credential of its own. */
export const RINGOTEL_CREDENTIAL = { id: 'rcRingotelAuth01', name: 'Ringotel caller' };
export const RINGOTEL_SAMPLE_AUTH = { user: 'ringotel', password: 'change-me-ringotel' };

const JSON_TYPE = 'application/json; charset=utf-8';
const LOGIN = 'Check the directory password';
const TOTP = 'Check the authenticator code';

/**
 * A Denied item that is not a verdict on the person: the directory, the store or the workflow is broken,
 * or the item never went through the node (no reason). The caller gets 503, never 200 and never 403.
 */
export const IS_BROKEN =
	"={{ !$json.reason || ['directory_unavailable', 'store_unavailable', 'misconfigured', 'retry_refused', 'error'].includes($json.reason) }}";

const VALUES = `={{ JSON.stringify({ values: $('${LOGIN}').item.json.usernames.map((u) => ({ username: u, display_name: $('${LOGIN}').item.json.display_name ?? u })) }) }}`;

export function ringotel(): Template {
	const t = new Template(
		'ringotel-sso',
		'Ringotel single sign-on → company directory (LDAP / Active Directory), optional TOTP',
		'The identity provider URL for Ringotel SSO: POST {username, password} with Basic or Bearer authorization; 200 {"values":[{"username","display_name"}]}, 403, 401 or 503.',
	);
	// The trigger's output holds the password: no execution of this workflow is ever saved.
	t.settings({ saveDataSuccessExecution: 'none', saveDataErrorExecution: 'none', saveManualExecutions: false, saveExecutionProgress: false });

	const trigger = t.node(
		'Ringotel calls this URL',
		`${PKG}.ssoLoginTrigger`,
		1,
		[0, 300],
		{ path: RINGOTEL_PATH, usernameField: 'username', passwordField: 'password', loginOptions: {}, options: { binaryData: true } },
		{ webhook: true, credentials: ['smsGatewayAuthApi'], credentialRefs: { smsGatewayAuthApi: RINGOTEL_CREDENTIAL } },
	);
	const login = t.node(
		LOGIN,
		`${PKG}.directoryLogin`,
		1,
		[280, 300],
		{
			username: '={{ $json.username }}',
			password: '={{ $json.password }}',
			secondFactor: false,
			secondFactorDigits: 6,
			bruteForceProtection: true,
			sourceIp: '={{ $json.request.ip }}',
			options: { usernameAttributes: 'uid', displayNameAttribute: 'displayName', mailAttribute: 'mail' },
		},
		{ credentials: ['directoryApi', 'otpStoreApi'], onError: 'continueRegularOutput' },
	);
	t.connect(trigger, login);

	const ok = t.node('Reply 200 usernames', 'n8n-nodes-base.respondToWebhook', 1, [1400, 100], respondParams({ kind: 'json', status: 200, contentType: JSON_TYPE, body: VALUES }));
	const denied = t.node('Reply 403', 'n8n-nodes-base.respondToWebhook', 1, [1400, 340], respondParams({ kind: 'json', status: 403, contentType: JSON_TYPE, body: '{ "error": "forbidden" }' }));
	const down = t.node(
		'Reply 503 unavailable',
		'n8n-nodes-base.respondToWebhook',
		1,
		[1400, 560],
		respondParams({ kind: 'json', status: 503, contentType: JSON_TYPE, body: '{ "error": "unavailable" }' }),
	);

	// Denied by the directory: one answer for every reason (wrong, unknown, empty, locked, locked out).
	const loginBroken = t.node('Directory or store down?', 'n8n-nodes-base.if', 2.2, [560, 460], ifParams('loginBroken', [{ left: IS_BROKEN, op: 'true' }]));
	t.connect(login, loginBroken, 0);
	t.connect(loginBroken, down, 0);
	t.connect(loginBroken, denied, 1);

	// Approved: with "Password Ends With a TOTP Code" on, the code goes to the TOTP node first.
	const twoFactor = t.node('Second factor on?', 'n8n-nodes-base.if', 2.2, [560, 160], ifParams('twoFactor', [{ left: '={{ $json.totpCode }}', op: 'notEmpty' }]));
	t.connect(login, twoFactor, 1);
	t.node(
		TOTP,
		`${PKG}.totp`,
		1,
		[840, 60],
		{
			operation: 'verify',
			identifier: '={{ $json.username }}',
			secretSource: 'enrolled',
			code: '={{ $json.totpCode }}',
			verifyOptions: { identifierType: 'text', failureCeiling: 20, lockoutMinutes: 5 },
		},
		{ credentials: ['otpStoreApi'], onError: 'continueRegularOutput' },
	);
	t.connect(twoFactor, TOTP, 0);
	t.connect(twoFactor, ok, 1);
	t.connect(TOTP, ok, 1);
	const totpBroken = t.node('Store down?', 'n8n-nodes-base.if', 2.2, [1120, 240], ifParams('totpBroken', [{ left: IS_BROKEN, op: 'true' }]));
	t.connect(TOTP, totpBroken, 0);
	t.connect(totpBroken, down, 0);
	t.connect(totpBroken, denied, 1);

	enrolment(t, { denied, down });
	notes(t);
	t.sample({
		title: 'Sign in as a directory user',
		method: 'POST',
		path: RINGOTEL_PATH,
		contentType: 'json',
		body: { username: 'alice', password: 'her directory password' },
		basicAuth: RINGOTEL_SAMPLE_AUTH,
	});
	return t;
}

/** Directory Login for the enrolment endpoints: the person proves their directory password first. */
function passwordCheck(t: Template, name: string, position: [number, number]): string {
	return t.node(
		name,
		`${PKG}.directoryLogin`,
		1,
		position,
		{
			username: "={{ String($json.body?.username ?? '') }}",
			password: "={{ String($json.body?.password ?? '') }}",
			secondFactor: false,
			bruteForceProtection: true,
			sourceIp: "={{ String($json.headers?.['x-forwarded-for'] ?? '').split(',').pop().trim() }}",
			options: { usernameAttributes: 'uid', displayNameAttribute: 'displayName', mailAttribute: 'mail' },
		},
		{ credentials: ['directoryApi', 'otpStoreApi'], onError: 'continueRegularOutput' },
	);
}

/**
 * Enrolment, two calls: the person's directory password gives a QR code (the secret stored pending);
 * password + the first code from the app makes it active. Nobody's app is replaced by a second enrolment.
 */
function enrolment(t: Template, replies: { denied: string; down: string }): void {
	const start = t.node('POST ringotel/enrol', 'n8n-nodes-base.webhook', 2.1, [0, 900], webhookParams(ENROL_PATH, ['POST']), { webhook: true });
	const check = passwordCheck(t, 'Enrolment: check the password', [280, 900]);
	t.connect(start, check);
	const checkBroken = t.node('Enrolment: directory down?', 'n8n-nodes-base.if', 2.2, [560, 1040], ifParams('enrolBroken', [{ left: IS_BROKEN, op: 'true' }]));
	t.connect(check, checkBroken, 0);
	t.connect(checkBroken, replies.down, 0);
	t.connect(checkBroken, replies.denied, 1);
	const enrol = t.node(
		'Create and store the secret (pending)',
		`${PKG}.totp`,
		1,
		[560, 820],
		{
			operation: 'enrol',
			identifier: '={{ $json.username }}',
			issuer: 'Ringotel SSO',
			account: '={{ $json.mail || $json.username }}',
			binaryPropertyName: 'qrCode',
			enrolOptions: { identifierType: 'text' },
		},
		{ credentials: ['otpStoreApi'], onError: 'continueRegularOutput' },
	);
	t.connect(check, enrol, 1);
	const qr = t.node(
		'Reply 200 QR code',
		'n8n-nodes-base.respondToWebhook',
		1,
		[840, 760],
		respondParams({ kind: 'json', status: 200, contentType: JSON_TYPE, body: '={{ JSON.stringify({ state: $json.state, confirmBefore: $json.confirmBefore, otpauthUri: $json.uri, qrDataUrl: $json.qrDataUrl }) }}' }),
	);
	t.connect(enrol, qr, 1);
	const already = t.node('Already enrolled?', 'n8n-nodes-base.if', 2.2, [840, 920], ifParams('already', [{ left: "={{ $json.reason === 'already_enrolled' }}", op: 'true' }]));
	t.connect(enrol, already, 0);
	const conflict = t.node(
		'Reply 409 already enrolled',
		'n8n-nodes-base.respondToWebhook',
		1,
		[1120, 880],
		respondParams({ kind: 'json', status: 409, contentType: JSON_TYPE, body: '{ "error": "already_enrolled" }' }),
	);
	t.connect(already, conflict, 0);
	t.connect(already, replies.down, 1);

	const confirmStart = t.node('POST ringotel/enrol/confirm', 'n8n-nodes-base.webhook', 2.1, [0, 1240], webhookParams(CONFIRM_PATH, ['POST']), { webhook: true });
	const confirmCheck = passwordCheck(t, 'Confirmation: check the password', [280, 1240]);
	t.connect(confirmStart, confirmCheck);
	const confirmBroken = t.node('Confirmation: directory down?', 'n8n-nodes-base.if', 2.2, [560, 1380], ifParams('confirmBroken', [{ left: IS_BROKEN, op: 'true' }]));
	t.connect(confirmCheck, confirmBroken, 0);
	t.connect(confirmBroken, replies.down, 0);
	t.connect(confirmBroken, replies.denied, 1);
	const confirm = t.node(
		'Check the first code (activates the secret)',
		`${PKG}.totp`,
		1,
		[560, 1160],
		{
			operation: 'verify',
			identifier: '={{ $json.username }}',
			secretSource: 'enrolled',
			confirmEnrolment: true,
			code: "={{ String($('POST ringotel/enrol/confirm').item.json.body?.code ?? '') }}",
			verifyOptions: { identifierType: 'text', failureCeiling: 20, lockoutMinutes: 5 },
		},
		{ credentials: ['otpStoreApi'], onError: 'continueRegularOutput' },
	);
	t.connect(confirmCheck, confirm, 1);
	const active = t.node(
		'Reply 200 enrolled',
		'n8n-nodes-base.respondToWebhook',
		1,
		[840, 1100],
		respondParams({ kind: 'json', status: 200, contentType: JSON_TYPE, body: '{ "enrolled": true }' }),
	);
	t.connect(confirm, active, 1);
	const codeBroken = t.node('Confirmation: store down?', 'n8n-nodes-base.if', 2.2, [840, 1260], ifParams('codeBroken', [{ left: IS_BROKEN, op: 'true' }]));
	t.connect(confirm, codeBroken, 0);
	t.connect(codeBroken, replies.down, 0);
	t.connect(codeBroken, replies.denied, 1);
}

function notes(t: Template): void {
	t.sticky(
		`
## Ringotel single sign-on, answered by your directory
Ringotel posts \`{"username","password"}\` to this workflow; n8n checks the password against your LDAP or Active Directory (search with a service account, then bind as the user) and answers **200** \`{"values":[{"username":…,"display_name":…}]}\`, **403** (wrong password, unknown user, empty password, locked account, too many failures — all the same answer), **401** (not Ringotel) or **503** (directory down — never 200).

### In n8n (once)
1. **Ringotel calls this URL** → credential **SMS Gateway Auth** (the caller check): *Basic Auth* with a user and a long random password (\`openssl rand -hex 24\`), or *Bearer Token*. Ringotel sends exactly these; anything else gets 401 and nothing runs.
2. **Check the directory password** → credential **Directory** (see the note below) and credential **OTP Store** (pepper: \`openssl rand -hex 32\`). Store **Redis** keeps the failure counts across restarts and in queue mode; **Memory** forgets them on restart.
3. **Publish** the workflow. Executions are not saved (Workflow Settings), because the trigger's output holds the password.

### Brute-force protection
5 failures per username lock it for 5 minutes, then 10, 20; at 20 it stays locked until an administrator resets it (shared with OTP/TOTP codes for that username). Per source IP: 10 failures per lockout (1 minute, doubling), the end at 100. Change them in the node's Options.
`,
		[-40, -420],
		[620, 400],
		4,
	);
	t.sticky(
		`
## What to send Ringotel support
Ask them to set up SSO (identity provider) for your domain with:
\`\`\`json
{
  "url": "https://<your n8n>/webhook/${RINGOTEL_PATH}",
  "method": "POST",
  "request_auth": { "type": "basic", "username": "<user from the SMS Gateway Auth credential>", "password": "<its password>" },
  "request_body": { "username": "$username$", "password": "$password$" },
  "response_map": { "values": [ { "username": "$username$", "display_name": "$displayname$" } ] }
}
\`\`\`
For a Bearer token: \`"request_auth": { "type": "bearer", "token": "<the token>" }\`. Success is **200** with that list; anything else (403) means "not signed in". The usernames are the values of **Username Attributes** (default \`uid\`; Active Directory: \`sAMAccountName\` or \`userPrincipalName\`) and must match the Ringotel users' usernames.
`,
		[620, -420],
		[620, 400],
		5,
	);
	t.sticky(
		`
## Pointing the Directory credential at your server
| | OpenLDAP / 389 DS | Active Directory |
|---|---|---|
| URL | \`ldaps://ldap.example.com:636\` or \`ldap://…:389\` + **StartTLS** | \`ldaps://dc1.example.com:636\` |
| Service Account DN | \`cn=n8n-reader,ou=services,dc=example,dc=com\` | \`n8n-reader@example.com\` |
| Search Base | \`ou=people,dc=example,dc=com\` | \`OU=Staff,DC=example,DC=com\` |
| User Filter | \`(uid={username})\` | \`(&(objectCategory=person)(objectClass=user)(sAMAccountName={username}))\` |

The service account only needs to read users (never their passwords). Give a private CA's certificate in **CA Certificate**. Locked accounts (ppolicy, AD lockout) are denied like a wrong password; the node's output says why.

### Optional second factor (authenticator app)
Turn on **Password Ends With a TOTP Code** in *Check the directory password*: users then type their directory password followed by the 6-digit code (\`Secret123!\` + \`492039\`). The code is checked against the secret they enrolled (below); a code is accepted once. Enrol everyone first, then turn it on.
`,
		[1280, -420],
		[640, 400],
		7,
	);
	t.sticky(
		`
## Enrolling an authenticator app (below)
1. \`POST /webhook/${ENROL_PATH}\` with \`{"username","password"}\` (the directory password) → **200** \`{"otpauthUri","qrDataUrl","confirmBefore"}\`: show the QR code to the person. The secret is stored **encrypted in the OTP Store** (pending) — never in this workflow's data.
2. \`POST /webhook/${CONFIRM_PATH}\` with \`{"username","password","code"}\` (the first code from the app, within 30 minutes) → **200** \`{"enrolled":true}\`; only now is the secret active.

Wrong password or code → 403; someone already enrolled → **409** (a password alone never replaces an app: an administrator removes the old enrolment first). Put these two URLs behind your intranet or VPN (n8n's IP allow-listing or a reverse proxy): whoever knows a password and enrols first owns that account's second factor.
`,
		[1420, 820],
		[620, 340],
		6,
	);
}
