/**
 * Inbound SMS → keywords: STOP and its synonyms put the sender on the package's opt-out list (which every
 * RingCentral Send consults by default) and confirm once; START takes them off again; HELP gets the help
 * text; anything else is forwarded to a channel of your choice (an incoming-webhook URL: Slack, Teams,
 * Mattermost, Google Chat, or any HTTP endpoint).
 */
import { OPT_IN_WORDS, OPT_OUT_WORDS } from '../../lib/optout/store';
import { ifParams, PKG, setParams, Template } from './lib';

const HELP_WORDS = ['HELP', 'INFO'];

export function inboundSmsKeywords(): Template {
	const t = new Template(
		'inbound-sms-keywords',
		'Inbound SMS → keywords (STOP, START, HELP, forward the rest)',
		'RingCentral Trigger: STOP/UNSUBSCRIBE/… record an opt-out that RingCentral Send then refuses, START opts back in, HELP replies with your help text, everything else is forwarded to your channel.',
	);
	const inbound = t.node(
		'Inbound SMS',
		`${PKG}.ringCentralTrigger`,
		1,
		[0, 300],
		{ events: ['inboundSms', 'inboundMms'], receivingNumbers: '', options: {} },
		{ webhook: true, credentials: ['ringCentralJwtApi'] },
	);
	const word = "($json.text || '').trim().toUpperCase().replace(/[^A-Z]/g, '')";
	const settings = t.node(
		'Settings and keyword',
		'n8n-nodes-base.set',
		3.4,
		[220, 300],
		setParams('settings', {
			helpText: 'Acme Support: reply with your question and we will get back to you. Msg&data rates may apply. Reply STOP to opt out.',
			stopReply: 'You are unsubscribed from Acme Support and will receive no further messages. Reply START to resubscribe.',
			startReply: 'You are subscribed to Acme Support again. Reply HELP for help, STOP to opt out.',
			forwardUrl: 'https://hooks.slack.com/services/REPLACE/WITH/YOURS',
			from: '={{ $json.from }}',
			to: '={{ $json.to }}',
			text: '={{ $json.text }}',
			messageId: '={{ $json.messageId }}',
			keyword: `={{ ${word} }}`,
			intent: `={{ ${JSON.stringify(OPT_OUT_WORDS)}.includes(${word}) ? 'optOut' : ${JSON.stringify(OPT_IN_WORDS)}.includes(${word}) ? 'optIn' : ${JSON.stringify(HELP_WORDS)}.includes(${word}) ? 'help' : 'other' }}`,
		}),
	);
	const isStop = t.node('STOP?', 'n8n-nodes-base.if', 2.2, [440, 300], ifParams('stop', [{ left: '={{ $json.intent }}', op: 'equals', right: 'optOut' }]));
	const isStart = t.node('START?', 'n8n-nodes-base.if', 2.2, [660, 420], ifParams('start', [{ left: '={{ $json.intent }}', op: 'equals', right: 'optIn' }]));
	const isHelp = t.node('HELP?', 'n8n-nodes-base.if', 2.2, [880, 540], ifParams('help', [{ left: '={{ $json.intent }}', op: 'equals', right: 'help' }]));
	const settingsOf = (field: string) => `={{ $('Settings and keyword').item.json.${field} }}`;
	const reply = (name: string, position: [number, number], textField: string, refuseOptedOut: boolean) =>
		t.node(
			name,
			`${PKG}.ringCentral`,
			1,
			position,
			{
				resource: 'sms',
				operation: 'send',
				from: settingsOf('to'),
				to: settingsOf('from'),
				text: settingsOf(textField),
				attachments: '',
				options: { refuseOptedOut, timeoutSeconds: 30 },
			},
			{ credentials: ['ringCentralJwtApi'], onError: 'continueRegularOutput' },
		);
	const recordStop = t.node(
		'Record opt-out',
		`${PKG}.ringCentral`,
		1,
		[660, 160],
		{ resource: 'optOut', operation: 'add', optOutNumber: '={{ $json.from }}', keyword: '={{ $json.keyword }}', receivedOn: '={{ $json.to }}' },
		{ credentials: ['ringCentralJwtApi'] },
	);
	// The one message an opted-out number still gets: the confirmation (so this Send does not refuse them).
	const confirmStop = reply('Confirm opt-out', [880, 160], 'stopReply', false);
	const recordStart = t.node(
		'Record opt-in',
		`${PKG}.ringCentral`,
		1,
		[880, 320],
		{ resource: 'optOut', operation: 'remove', optOutNumber: '={{ $json.from }}' },
		{ credentials: ['ringCentralJwtApi'] },
	);
	const confirmStart = reply('Confirm opt-in', [1100, 320], 'startReply', true);
	const help = reply('Send help text', [1100, 460], 'helpText', true);
	const forward = t.node('Forward to your channel', 'n8n-nodes-base.httpRequest', 4.2, [1100, 640], {
		method: 'POST',
		url: '={{ $json.forwardUrl }}',
		sendBody: true,
		specifyBody: 'json',
		jsonBody: '={{ JSON.stringify({ text: `SMS from ${$json.from} to ${$json.to}: ${$json.text}`, from: $json.from, to: $json.to, message: $json.text, messageId: $json.messageId }) }}',
		options: { timeout: 10000 },
	});
	t.connect(inbound, settings);
	t.connect(settings, isStop);
	t.connect(isStop, recordStop, 0);
	t.connect(recordStop, confirmStop);
	t.connect(isStop, isStart, 1);
	t.connect(isStart, recordStart, 0);
	t.connect(recordStart, confirmStart);
	t.connect(isStart, isHelp, 1);
	t.connect(isHelp, help, 0);
	t.connect(isHelp, forward, 1);

	t.sticky(
		`
## Two-way SMS: keywords
Every SMS or MMS to your RingCentral numbers starts this workflow (the **RingCentral Trigger** subscribes when you publish and unsubscribes when you unpublish).

### In n8n (once)
1. **Inbound SMS** and every RingCentral node → credential **RingCentral JWT API** (app permissions **SMS** and **ReadMessages**).
2. **Settings and keyword** → your **helpText**, the two confirmations, and **forwardUrl**: an incoming-webhook URL of the channel that should see the other messages (Slack, Teams, Mattermost, Google Chat, or any endpoint taking a JSON POST). Or replace **Forward to your channel** with a Slack, Email or Teams node.
3. **Publish**. n8n must be reachable from the internet over HTTPS (\`WEBHOOK_URL\`): RingCentral checks the address when it subscribes.
`,
		[-40, -260],
		[620, 420],
		4,
	);
	t.sticky(
		`
## STOP means no more texts, everywhere
- **STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT, REVOKE** (any case, punctuation ignored) → **Record opt-out** puts the sender on the opt-out list and one confirmation goes out.
- From then on **every RingCentral → SMS → Send** in this n8n refuses that number (option *Refuse Opted-Out Recipients*, on by default): the item fails with reason \`opted_out\` and the sentence says when they opted out.
- **START, UNSTOP, SUBSCRIBE, RESUME, CONTINUE, YES** → **Record opt-in** takes them off the list.
- The list lives in **Redis** when n8n runs in queue mode or \`N8N_RINGCENTRAL_REDIS_URL\` is set (shared by every process), otherwise in \`~/.n8n/ringcentral-sms-opt-outs.json\`: both survive restarts.
- Messages that arrive while n8n is down are read from RingCentral's message store when it is back, each once, in order.
`,
		[600, -260],
		[640, 420],
		5,
	);
	return t;
}
