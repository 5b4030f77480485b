/**
 * The request shapes each caller documents (callers.md), with the SMS each must produce. Shared by the
 * unit tests (pipeline) and the end-to-end test (real n8n + simulator).
 */
export interface PresetShape {
	preset: string;
	name: string;
	method: 'GET' | 'POST';
	query?: string;
	contentType?: string;
	body?: string;
	headers?: Record<string, string>;
	/** The trigger's Allowed Countries for this shape (default: the preset's default country only). */
	allowedCountries?: string;
	expect: { to: string[]; text: string; from?: string };
}

const OTP = 'Your code is 482913';

export const PRESET_SHAPES: PresetShape[] = [
	// ManageEngine: digits-only number (AD mobile with non-digits removed), GET or POST, form/JSON/XML.
	{ preset: 'manageEngine', name: 'GET with 11 digits', method: 'GET', query: `mobileNumber=16505550123&message=${encodeURIComponent(OTP)}`, expect: { to: ['+16505550123'], text: OTP } },
	{ preset: 'manageEngine', name: 'GET with a 10-digit US number', method: 'GET', query: 'mobileNumber=6505550124&message=Reset+code+1234', expect: { to: ['+16505550124'], text: 'Reset code 1234' } },
	{ preset: 'manageEngine', name: 'POST form body', method: 'POST', contentType: 'application/x-www-form-urlencoded', body: `mobileNumber=16505550125&message=${encodeURIComponent(OTP)}`, expect: { to: ['+16505550125'], text: OTP } },
	{ preset: 'manageEngine', name: 'POST with parameters in the query string', method: 'POST', query: 'mobileNumber=16505550126&message=hello', expect: { to: ['+16505550126'], text: 'hello' } },
	{ preset: 'manageEngine', name: 'POST JSON', method: 'POST', contentType: 'application/json', body: JSON.stringify({ mobileNumber: '16505550127', message: OTP }), expect: { to: ['+16505550127'], text: OTP } },
	{ preset: 'manageEngine', name: 'POST XML', method: 'POST', contentType: 'application/xml', body: `<sms><mobileNumber>16505550128</mobileNumber><message>${OTP}</message></sms>`, expect: { to: ['+16505550128'], text: OTP } },
	{ preset: 'manageEngine', name: 'unicode message', method: 'GET', query: `mobileNumber=16505550129&message=${encodeURIComponent('Código 1234 — ok ✓')}`, expect: { to: ['+16505550129'], text: 'Código 1234 — ok ✓' } },
	// Axigen: GET url?to=&text=&from=, POST JSON or form.
	{ preset: 'axigen', name: 'GET with from', method: 'GET', query: 'to=%2B16505550130&text=Axigen+code+111&from=%2B16505550100', expect: { to: ['+16505550130'], text: 'Axigen code 111', from: '+16505550100' } },
	{ preset: 'axigen', name: 'POST JSON', method: 'POST', contentType: 'application/json', body: JSON.stringify({ to: '+16505550131', text: 'Axigen code 222', from: '+16505550100' }), expect: { to: ['+16505550131'], text: 'Axigen code 222', from: '+16505550100' } },
	{ preset: 'axigen', name: 'POST form', method: 'POST', contentType: 'application/x-www-form-urlencoded', body: 'to=%2B16505550132&text=Axigen+code+333', expect: { to: ['+16505550132'], text: 'Axigen code 333' } },
	// privacyIDEA: GET default, POST form or JSON, {phone} may be a JSON list; text may be just the OTP.
	{ preset: 'privacyIdea', name: 'GET phone + text', method: 'GET', query: 'phone=%2B16505550133&text=123456', expect: { to: ['+16505550133'], text: '123456' } },
	{ preset: 'privacyIdea', name: 'POST JSON with phone list', method: 'POST', contentType: 'application/json', body: JSON.stringify({ phone: ['+16505550134'], text: '654321' }), expect: { to: ['+16505550134'], text: '654321' } },
	{ preset: 'privacyIdea', name: 'POST form with otp only', method: 'POST', contentType: 'application/x-www-form-urlencoded', body: 'phone=16505550135&otp=777888', expect: { to: ['+16505550135'], text: '777888' } },
	// Keycloak SMS authenticator: JSON (default), form, or GET template.
	{ preset: 'keycloak', name: 'POST JSON', method: 'POST', contentType: 'application/json', body: JSON.stringify({ to: '+16505550136', text: 'Your SMS code is 4242 and is valid for 5 minutes.' }), expect: { to: ['+16505550136'], text: 'Your SMS code is 4242 and is valid for 5 minutes.' } },
	{ preset: 'keycloak', name: 'POST form', method: 'POST', contentType: 'application/x-www-form-urlencoded', body: 'to=%2B16505550137&text=code+99', expect: { to: ['+16505550137'], text: 'code 99' } },
	{ preset: 'keycloak', name: 'GET template', method: 'GET', query: 'to=%2B16505550138&text=code+98', expect: { to: ['+16505550138'], text: 'code 98' } },
	// PRTG: GET only, + arrives as %2B.
	{ preset: 'prtg', name: 'GET with %2B', method: 'GET', query: `number=%2B16505550139&text=${encodeURIComponent('Sensor Ping down (100 ms)')}`, expect: { to: ['+16505550139'], text: 'Sensor Ping down (100 ms)' } },
	// Genesys IA internal mode: POST JSON, with or without the plus symbol.
	{ preset: 'genesys', name: 'POST JSON without plus', method: 'POST', contentType: 'application/json', body: JSON.stringify({ to: '16505550140', text: 'Your code is 5150' }), expect: { to: ['+16505550140'], text: 'Your code is 5150' } },
	{ preset: 'genesys', name: 'POST JSON with plus', method: 'POST', contentType: 'application/json', body: JSON.stringify({ to: '+16505550141', text: 'Your code is 5151' }), expect: { to: ['+16505550141'], text: 'Your code is 5151' } },
	// Logto: POST JSON, text built from payload.code.
	{ preset: 'logto', name: 'SignIn code', method: 'POST', contentType: 'application/json', body: JSON.stringify({ to: '+16505550142', type: 'SignIn', payload: { code: '123456' } }), expect: { to: ['+16505550142'], text: 'Your verification code is 123456' } },
	// Curity: POST JSON {to, message}.
	{ preset: 'curity', name: 'POST JSON', method: 'POST', contentType: 'application/json', body: JSON.stringify({ to: '+16505550143', message: 'Curity OTP 8080' }), expect: { to: ['+16505550143'], text: 'Curity OTP 8080' } },
	// RSA AM: parameter string address/message.
	{ preset: 'rsa', name: 'GET parameter string', method: 'GET', query: 'address=16505550144&message=RSA+tokencode+1111', expect: { to: ['+16505550144'], text: 'RSA tokencode 1111' } },
	// FortiAuthenticator: separate country code (01 for North America).
	{ preset: 'fortiAuthenticator', name: 'country code 01', method: 'GET', query: 'country_code=01&mobile_number=6505550145&message=Forti+code+2', expect: { to: ['+16505550145'], text: 'Forti code 2' } },
	// Generic: several recipients → one SMS each; plain-text body is the message.
	{ preset: 'generic', name: 'JSON list of recipients', method: 'POST', contentType: 'application/json', body: JSON.stringify({ to: ['+16505550146', '+16505550147'], text: 'Outage notice' }), expect: { to: ['+16505550146', '+16505550147'], text: 'Outage notice' } },
	{ preset: 'generic', name: 'JSON with a numeric number', method: 'POST', contentType: 'application/json', body: '{"to":16505550148,"text":"Number as JSON number"}', expect: { to: ['+16505550148'], text: 'Number as JSON number' } },
	{ preset: 'generic', name: 'plain-text body is the message', method: 'POST', query: 'to=%2B16505550149', contentType: 'text/plain', body: 'Plain text message', expect: { to: ['+16505550149'], text: 'Plain text message' } },
	// More shapes for the callers with one documented form.
	{ preset: 'prtg', name: 'GET with a 10-digit number and punctuation in the text', method: 'GET', query: `number=6505550151&text=${encodeURIComponent('Probe "Core-1": CPU 97% (limit 90%)')}`, expect: { to: ['+16505550151'], text: 'Probe "Core-1": CPU 97% (limit 90%)' } },
	{ preset: 'logto', name: 'Register code', method: 'POST', contentType: 'application/json', body: JSON.stringify({ to: '+16505550152', type: 'Register', payload: { code: '000123' } }), expect: { to: ['+16505550152'], text: 'Your verification code is 000123' } },
	{ preset: 'logto', name: 'ForgotPassword code, national number', method: 'POST', contentType: 'application/json; charset=utf-8', body: JSON.stringify({ to: '6505550153', type: 'ForgotPassword', payload: { code: '999000' } }), expect: { to: ['+16505550153'], text: 'Your verification code is 999000' } },
	{ preset: 'curity', name: 'POST JSON with unicode', method: 'POST', contentType: 'application/json', body: JSON.stringify({ to: '+16505550154', message: 'Din kod är 4711 🔐' }), expect: { to: ['+16505550154'], text: 'Din kod är 4711 🔐' } },
	{ preset: 'rsa', name: 'POST form', method: 'POST', contentType: 'application/x-www-form-urlencoded', body: 'address=%2B16505550155&message=Tokencode+2222', expect: { to: ['+16505550155'], text: 'Tokencode 2222' } },
	{ preset: 'fortiAuthenticator', name: 'POST form, country code 1', method: 'POST', contentType: 'application/x-www-form-urlencoded', body: 'country_code=1&mobile_number=6505550156&message=Forti+code+3', expect: { to: ['+16505550156'], text: 'Forti code 3' } },
	{ preset: 'fortiAuthenticator', name: 'GET, country code +44', method: 'GET', query: 'country_code=%2B44&mobile_number=7911123457&message=Forti+UK', allowedCountries: 'US, GB, GG', expect: { to: ['+447911123457'], text: 'Forti UK' } },
	{ preset: 'genesys', name: 'POST XML', method: 'POST', contentType: 'text/xml', body: '<?xml version="1.0" encoding="UTF-8"?><sms><to>+16505550157</to><text>Your code is 5152</text></sms>', expect: { to: ['+16505550157'], text: 'Your code is 5152' } },
	{ preset: 'generic', name: 'XML with several recipients', method: 'POST', contentType: 'application/xml', body: '<sms><to>+16505550158</to><to>+16505550159</to><text>Two recipients</text></sms>', expect: { to: ['+16505550158', '+16505550159'], text: 'Two recipients' } },
];
