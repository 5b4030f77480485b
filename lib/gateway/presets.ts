/**
 * One entry per product that calls the gateway. Presets are data: the trigger generates its editor fields
 * from this table (one set of fields per preset, pre-filled) and the request pipeline reads the same shape,
 * so adding a caller is adding an entry here. What each product sends and reads is described in lib/gateway/README.md and the workflow notes.
 *
 * Reply templates are plain strings with placeholders: `{reason}` (why it failed), `{code}` (a short
 * machine code such as `invalid-phonenumber`), `{messageId}` (first RingCentral message id, success only).
 * Placeholders are escaped for the reply format (JSON string, XML text, single-line text).
 */

export type ReplyFormat = 'text' | 'json' | 'xml' | 'empty';
export type ReplyTiming = 'afterAccepted' | 'immediately';
export type HttpMethodChoice = 'GET' | 'POST' | 'GET,POST';

export interface ReplySpec {
	format: ReplyFormat;
	successStatus: number;
	successBody: string;
	failureBody: string;
	/** When set, every failure uses this status (except 401/403 auth refusals); otherwise the status fits the failure. */
	failureStatus?: number;
}

export interface PresetFields {
	/** Parameter names (aliases, first match wins; dotted paths allowed) that carry the recipient(s). */
	to: string[];
	text: string[];
	from: string[];
	/** A separately sent country calling code (FortiAuthenticator `country_code`). */
	countryCode: string[];
	/** Builds the text when none of the text names is present, e.g. Logto's `{payload.code}`. */
	textTemplate: string;
}

export interface Preset {
	id: string;
	name: string;
	description: string;
	/**
	 * Shown under the preset choice: how to point the product at this URL. It never quotes reply strings:
	 * those are fields the user can change, so the editor shows them from the configured values.
	 */
	setupHint: string;
	/** The product compares the reply body with strings its admin types in (ManageEngine, RSA AM). */
	readsReplyStrings?: boolean;
	/** What the product calls those two strings, when not "Success response" / "Failure response". */
	replyStringLabels?: readonly [string, string];
	/** Other reply pairs in common use (the Zapier recipe's `success`/`failure`), so the editor can quote them. */
	alternativeReplies?: ReadonlyArray<{ successBody: string; failureBody: string }>;
	methods: HttpMethodChoice;
	fields: PresetFields;
	defaultCountry: string;
	timing: ReplyTiming;
	reply: ReplySpec;
}

const JSON_FAILURE = '{"status":"failed","error":"{code}","message":"{reason}"}';

export const PRESETS: readonly Preset[] = [
	{
		id: 'manageEngine',
		name: 'ManageEngine ADSelfService Plus / ADManager Plus',
		description: 'Custom SMS provider, "Send SMS via HTTP(S)", GET or POST',
		setupHint:
			'In ManageEngine: SMS Provider "Custom", HTTP URL = this webhook URL, parameters mobileNumber=%mobNo%&message=%message%. Success response: the Success Body below, exactly; Failure response: the Failure Body\'s text before {reason}.',
		readsReplyStrings: true,
		alternativeReplies: [{ successBody: 'success', failureBody: 'failure: {reason}' }],
		methods: 'GET,POST',
		fields: {
			to: ['mobileNumber', 'mobNo', 'mobile', 'recipient', 'to'],
			text: ['message', 'msg', 'text'],
			from: ['from', 'sender'],
			countryCode: [],
			textTemplate: '',
		},
		defaultCountry: 'US',
		timing: 'afterAccepted',
		reply: { format: 'text', successStatus: 200, successBody: 'SUCCESS', failureBody: 'FAILED: {reason}' },
	},
	{
		id: 'axigen',
		name: 'Axigen',
		description: 'Axigen SMS connector for 2-step verification and account recovery',
		setupHint: 'In Axigen: SMS connector URL = this webhook URL, toParamName "to", bodyParamName "text", fromParamName "from"; content type JSON or form.',
		methods: 'GET,POST',
		fields: { to: ['to'], text: ['text', 'body', 'message'], from: ['from'], countryCode: [], textTemplate: '' },
		defaultCountry: 'US',
		timing: 'afterAccepted',
		reply: { format: 'json', successStatus: 200, successBody: '{"status":"sent","messageId":"{messageId}"}', failureBody: JSON_FAILURE },
	},
	{
		id: 'privacyIdea',
		name: 'privacyIDEA',
		description: 'privacyIDEA HttpSMSProvider (3 second timeout by default: replies immediately)',
		setupHint:
			'In privacyIDEA: HttpSMSProvider URL = this webhook URL, parameters phone={phone} and text={otp}, RETURN_SUCCESS = the Success Body below. Its 3 s timeout is why this preset replies immediately.',
		readsReplyStrings: true,
		replyStringLabels: ['RETURN_SUCCESS', 'RETURN_FAIL'],
		// What the bundled privacyIDEA template answers.
		alternativeReplies: [{ successBody: 'SENT', failureBody: 'FAILED: {reason}' }],
		methods: 'GET,POST',
		fields: { to: ['phone', 'to', 'number'], text: ['text', 'message', 'otp'], from: ['from', 'sender'], countryCode: [], textTemplate: '' },
		defaultCountry: 'US',
		timing: 'immediately',
		reply: { format: 'text', successStatus: 200, successBody: 'RETURN_SUCCESS', failureBody: 'RETURN_FAIL: {reason}' },
	},
	{
		id: 'keycloak',
		name: 'Keycloak SMS Authenticator',
		description: 'Keycloak SMS authenticator plugin (JSON, form or GET URL template)',
		setupHint: 'In Keycloak: SMS API URL = this webhook URL, attribute names "to" and "text"; token in a header or Basic.',
		methods: 'GET,POST',
		fields: { to: ['to', 'phone', 'phoneNumber'], text: ['text', 'message'], from: ['from', 'sender'], countryCode: [], textTemplate: '' },
		defaultCountry: 'US',
		timing: 'afterAccepted',
		reply: { format: 'json', successStatus: 200, successBody: '{"status":"ok","messageId":"{messageId}"}', failureBody: JSON_FAILURE },
	},
	{
		id: 'prtg',
		name: 'PRTG Network Monitor',
		description: 'PRTG "Send SMS/Pager message" with a custom URL (GET only)',
		setupHint: 'In PRTG: custom SMS URL = this webhook URL?number=%SMSNUMBER&text=%SMSTEXT (PRTG only sends GET).',
		methods: 'GET',
		fields: { to: ['number', 'to', 'phone', 'smsnumber'], text: ['text', 'message', 'smstext'], from: [], countryCode: [], textTemplate: '' },
		defaultCountry: 'US',
		timing: 'afterAccepted',
		reply: { format: 'text', successStatus: 200, successBody: 'OK', failureBody: 'ERROR: {reason}' },
	},
	{
		id: 'genesys',
		name: 'Genesys Intelligent Automation',
		description: 'Two-factor MicroApp, internal mode (IA generates the code and calls SMS.URL)',
		setupHint:
			'In Genesys IA server settings: SMS.URL = this webhook URL, SMS.Method POST, SMS.RequestBody with "to" and "text"; SMS.Timeout above the time budget.',
		methods: 'GET,POST',
		fields: { to: ['to', 'recipient', 'phone', 'number'], text: ['text', 'message', 'body'], from: ['from'], countryCode: [], textTemplate: '' },
		defaultCountry: 'US',
		timing: 'afterAccepted',
		reply: {
			format: 'xml',
			successStatus: 200,
			successBody: '<sendSms><status>success</status><messageId>{messageId}</messageId></sendSms>',
			failureBody: '<sendSms><status>failure</status><code>{code}</code><reason>{reason}</reason></sendSms>',
		},
	},
	{
		id: 'logto',
		name: 'Logto',
		description: 'Logto HTTP SMS connector: {"to","type","payload":{"code"}}',
		setupHint: 'In Logto: HTTP SMS connector endpoint = this webhook URL. The text is built from payload.code.',
		methods: 'POST',
		fields: { to: ['to', 'phone'], text: ['text', 'message'], from: [], countryCode: [], textTemplate: 'Your verification code is {payload.code}' },
		defaultCountry: 'US',
		timing: 'afterAccepted',
		reply: { format: 'json', successStatus: 200, successBody: '{"success":true,"messageId":"{messageId}"}', failureBody: '{"success":false,"error":"{code}","message":"{reason}"}' },
	},
	{
		id: 'curity',
		name: 'Curity Identity Server',
		description: 'Curity HTTP SMS provider: {"to","message"}, 200 with no body',
		setupHint: 'In Curity: SMS provider "REST", URL = this webhook URL. Success is 200 with no body; an invalid number is 400 {"error":"invalid-phonenumber"}.',
		methods: 'POST',
		fields: { to: ['to'], text: ['message', 'text'], from: ['from'], countryCode: [], textTemplate: '' },
		defaultCountry: 'US',
		timing: 'afterAccepted',
		reply: { format: 'empty', successStatus: 200, successBody: '', failureBody: '{"error":"{code}","error_description":"{reason}"}' },
	},
	{
		id: 'rsa',
		name: 'RSA Authentication Manager',
		description: 'RSA AM custom SMS plug-in over HTTP: success when the body contains RESULT:OK',
		setupHint: 'In RSA AM: parameter string address=$msg.address&message=$msg.message; success string: the Success Body below, exactly.',
		readsReplyStrings: true,
		methods: 'GET,POST',
		fields: { to: ['address', 'to', 'phone'], text: ['message', 'msg', 'text'], from: ['from'], countryCode: [], textTemplate: '' },
		defaultCountry: 'US',
		timing: 'afterAccepted',
		reply: { format: 'text', successStatus: 200, successBody: 'RESULT:OK', failureBody: 'RESULT:FAIL {reason}' },
	},
	{
		id: 'fortiAuthenticator',
		name: 'FortiAuthenticator',
		description: 'FortiAuthenticator SMS gateway (HTTP): country code and number arrive separately',
		setupHint:
			'In FortiAuthenticator: SMS gateway URL = this webhook URL?country_code={{:country_code}}&mobile_number={{:mobile_number}}&message={{:message}}; success by HTTP status.',
		methods: 'GET,POST',
		fields: { to: ['mobile_number', 'mobile', 'to'], text: ['message', 'text', 'msg'], from: [], countryCode: ['country_code', 'cc'], textTemplate: '' },
		defaultCountry: 'US',
		timing: 'afterAccepted',
		reply: { format: 'text', successStatus: 200, successBody: 'OK', failureBody: 'FAIL: {reason}' },
	},
	{
		id: 'generic',
		name: 'Generic',
		description: 'Set every parameter name and the reply yourself',
		setupHint: 'Send "to" and "text" in the query string or the body (JSON, form, XML or plain text).',
		methods: 'GET,POST',
		fields: {
			to: ['to', 'phone', 'number', 'mobile', 'recipient'],
			text: ['text', 'message', 'body', 'msg'],
			from: ['from', 'sender'],
			countryCode: ['countryCode', 'country_code'],
			textTemplate: '',
		},
		defaultCountry: 'US',
		timing: 'afterAccepted',
		reply: { format: 'json', successStatus: 200, successBody: '{"status":"sent","messageId":"{messageId}"}', failureBody: JSON_FAILURE },
	},
];

export function getPreset(id: string): Preset | undefined {
	return PRESETS.find((p) => p.id === id);
}

/** "mobileNumber, mobNo" → ["mobileNumber", "mobNo"]: how alias lists are typed in the editor. */
export function parseNameList(value: unknown): string[] {
	if (Array.isArray(value)) return value.map(String).map((s) => s.trim()).filter(Boolean);
	if (typeof value !== 'string') return [];
	return value
		.split(/[,\s]+/)
		.map((s) => s.trim())
		.filter(Boolean);
}
