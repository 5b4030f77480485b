/**
 * Bad-input corpus: requests that must be refused with a 4xx and a reason, never sent, never crash.
 * Shared by the unit tests (pipeline) and the end-to-end test (live n8n endpoint). All use the Generic
 * preset's names (`to`, `text`) unless stated.
 */
export interface BadRequest {
	name: string;
	method: 'GET' | 'POST';
	query?: string;
	contentType?: string;
	headers?: Record<string, string>;
	body?: string | Buffer;
	/** Expected status; `4xx` means any client error. */
	status: number | '4xx';
	code: string;
}

const billionLaughs =
	'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' +
	'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><sms><to>+16505550123</to><text>&lol3;</text></sms>';
const xxe =
	'<?xml version="1.0"?><!DOCTYPE sms [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><sms><to>+16505550123</to><text>&xxe;</text></sms>';

export const BAD_INPUT: BadRequest[] = [
	{ name: 'no parameters at all', method: 'GET', status: 400, code: 'missing-phonenumber' },
	{ name: 'missing number', method: 'GET', query: 'text=hello', status: 400, code: 'missing-phonenumber' },
	{ name: 'empty number', method: 'GET', query: 'to=&text=hello', status: 400, code: 'missing-phonenumber' },
	{ name: 'missing text', method: 'GET', query: 'to=%2B16505550123', status: 400, code: 'missing-text' },
	{ name: 'blank text', method: 'POST', contentType: 'application/json', body: '{"to":"+16505550123","text":"   "}', status: 400, code: 'missing-text' },
	{ name: 'letters in number', method: 'GET', query: 'to=call-me-maybe&text=hi', status: 400, code: 'invalid-phonenumber' },
	{ name: 'unassigned NANP number', method: 'GET', query: 'to=%2B16501112222&text=hi', status: 400, code: 'invalid-phonenumber' },
	{ name: 'number with extension', method: 'GET', query: 'to=%2B1-650-555-0123+ext+5&text=hi', status: 400, code: 'invalid-phonenumber' },
	{ name: 'too short', method: 'GET', query: 'to=12345&text=hi', status: 400, code: 'invalid-phonenumber' },
	{
		name: 'one bad number among good ones',
		method: 'POST',
		contentType: 'application/json',
		body: '{"to":["+16505550123","+16501112222"],"text":"hi"}',
		status: 400,
		code: 'invalid-phonenumber',
	},
	{ name: 'oversized text (1001 units)', method: 'POST', contentType: 'application/json', body: JSON.stringify({ to: '+16505550123', text: 'x'.repeat(1001) }), status: 400, code: 'text-too-long' },
	{ name: 'oversized emoji text (501 emoji = 1002 units)', method: 'POST', contentType: 'application/json', body: JSON.stringify({ to: '+16505550123', text: '😀'.repeat(501) }), status: 400, code: 'text-too-long' },
	{ name: 'unknown content type', method: 'POST', contentType: 'application/octet-stream', body: 'to=+16505550123&text=hi', status: 415, code: 'unsupported-media-type' },
	{ name: 'multipart body', method: 'POST', contentType: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="to"\r\n\r\n+16505550123\r\n--x--', status: 415, code: 'unsupported-media-type' },
	{ name: 'unknown charset', method: 'POST', contentType: 'application/json; charset=klingon', body: '{"to":"+16505550123","text":"hi"}', status: 415, code: 'unsupported-charset' },
	{ name: 'invalid UTF-8', method: 'POST', contentType: 'application/json', body: Buffer.from([0x7b, 0x22, 0x74, 0x6f, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), status: 400, code: 'bad-encoding' },
	{ name: 'malformed JSON', method: 'POST', contentType: 'application/json', body: '{"to":"+16505550123","text":', status: 400, code: 'malformed-json' },
	{ name: 'JSON array at top level', method: 'POST', contentType: 'application/json', body: '["+16505550123","hi"]', status: 400, code: 'malformed-json' },
	{ name: 'JSON string at top level', method: 'POST', contentType: 'application/json', body: '"hello"', status: 400, code: 'malformed-json' },
	{ name: 'JSON text is an object', method: 'POST', contentType: 'application/json', body: '{"to":"+16505550123","text":{"a":1}}', status: 400, code: 'bad-request' },
	{ name: 'JSON number is an object', method: 'POST', contentType: 'application/json', body: '{"to":{"n":"+16505550123"},"text":"hi"}', status: 400, code: 'bad-request' },
	{ name: 'JSON nested too deeply', method: 'POST', contentType: 'application/json', body: `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`, status: 400, code: 'bad-request' },
	{ name: 'prototype pollution keys', method: 'POST', contentType: 'application/json', body: '{"__proto__":{"to":"+16505550123","text":"hi"}}', status: 400, code: 'missing-phonenumber' },
	{ name: 'malformed XML', method: 'POST', contentType: 'application/xml', body: '<sms><to>+16505550123</to><text>hi</sms>', status: 400, code: 'malformed-xml' },
	{ name: 'XML entity bomb', method: 'POST', contentType: 'application/xml', body: billionLaughs, status: 400, code: 'malformed-xml' },
	{ name: 'XML external entity', method: 'POST', contentType: 'text/xml', body: xxe, status: 400, code: 'malformed-xml' },
	{ name: 'XML with two roots', method: 'POST', contentType: 'application/xml', body: '<to>+16505550123</to><text>hi</text>', status: 400, code: 'malformed-xml' },
	{ name: 'huge body (2 MB)', method: 'POST', contentType: 'application/json', body: JSON.stringify({ to: '+16505550123', text: 'hi', pad: 'p'.repeat(2 * 1024 * 1024) }), status: 413, code: 'payload-too-large' },
	{ name: 'too many form keys', method: 'POST', contentType: 'application/x-www-form-urlencoded', body: Array.from({ length: 300 }, (_, i) => `k${i}=v`).join('&'), status: 400, code: 'bad-request' },
	{ name: 'repeated text, different values', method: 'GET', query: 'to=%2B16505550123&text=one&text=two', status: 400, code: 'repeated-parameter' },
	{
		name: 'query and body disagree on text',
		method: 'POST',
		query: 'text=from-query',
		contentType: 'application/json',
		body: '{"to":"+16505550123","text":"from-body"}',
		status: 400,
		code: 'repeated-parameter',
	},
	{
		name: 'query and body disagree on number',
		method: 'POST',
		query: 'to=%2B16505550123',
		contentType: 'application/x-www-form-urlencoded',
		body: 'to=%2B16505550124&text=hi',
		status: 400,
		code: 'repeated-parameter',
	},
	{ name: 'too many recipients', method: 'POST', contentType: 'application/json', body: JSON.stringify({ to: Array.from({ length: 11 }, (_, i) => `+1650555${String(100 + i).padStart(4, '0')}`), text: 'hi' }), status: 400, code: 'too-many-recipients' },
	{ name: 'unsupported content encoding', method: 'POST', contentType: 'application/json', headers: { 'content-encoding': 'br' }, body: '{"to":"+16505550123","text":"hi"}', status: 415, code: 'unsupported-encoding' },
	{ name: 'number with control characters', method: 'GET', query: 'to=%2B1650555%000123&text=hi', status: 400, code: 'invalid-phonenumber' },
	{ name: 'unicode number (fullwidth digits)', method: 'GET', query: `to=${encodeURIComponent('＋１６５０５５５０１２３')}&text=hi`, status: 400, code: 'invalid-phonenumber' },
];
