import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { REPLY_MARKER_HEADER, getPreset, isCodeName, parseBody, readBody } from '../../../lib/gateway';
import { answerWhenNoReply } from '../../../nodes/SmsGatewayTrigger/no-reply';
import { callGateway } from './helpers';

const xml = (inner: string) => `<sms><to>+16505550123</to>${inner}</sms>`;

describe('XML entities', () => {
	it('decodes the built-in entities and numeric references, once', async () => {
		const { result } = await callGateway('genesys', { method: 'POST', contentType: 'application/xml', body: xml('<text>a &lt; b &amp;&amp; c &#43;1 &#x2B;2 &amp;lt;</text>') });
		expect(result).toMatchObject({ ok: true, messages: [{ text: 'a < b && c +1 +2 &lt;' }] });
		const plus = await callGateway('genesys', { method: 'POST', contentType: 'application/xml', body: '<sms><to>&#43;16505550123</to><text>x</text></sms>' });
		expect(plus.result).toMatchObject({ ok: true, messages: [{ to: '+16505550123' }] });
	});

	it('leaves CDATA as written', async () => {
		const { result } = await callGateway('genesys', { method: 'POST', contentType: 'application/xml', body: xml('<text><![CDATA[AT&T says &lt;hi&gt;]]></text>') });
		expect(result).toMatchObject({ ok: true, messages: [{ text: 'AT&T says &lt;hi&gt;' }] });
	});

	it('still refuses a DOCTYPE, an undefined entity and a forbidden character reference', async () => {
		for (const body of ['<!DOCTYPE x [<!ENTITY e "boom">]><sms><to>+16505550123</to><text>&e;</text></sms>', xml('<text>&nbsp;</text>'), xml('<text>&#0;</text>')]) {
			const { result } = await callGateway('genesys', { method: 'POST', contentType: 'application/xml', body });
			expect(result).toMatchObject({ ok: false, failure: { status: 400, code: 'malformed-xml' } });
		}
	});
});

describe('repeated parameters hidden by case or duplicate keys', () => {
	it('Text and TEXT with different values are refused, not "first wins"', async () => {
		const { result } = await callGateway('generic', { method: 'POST', contentType: 'application/json', body: '{"to":"+16505550123","Text":"pay $1","TEXT":"pay $1000"}' });
		expect(result).toMatchObject({ ok: false, failure: { status: 400, code: 'repeated-parameter' } });
	});

	it('a JSON key given twice is two values (JSON.parse would keep the last silently)', async () => {
		const { result } = await callGateway('generic', { method: 'POST', contentType: 'application/json', body: '{"to":"+16505550123","text":"pay $1","text":"pay $1000"}' });
		expect(result).toMatchObject({ ok: false, failure: { code: 'repeated-parameter' } });
		expect(parseBody(Buffer.from('{"to":"+16505550123","to":"+16505550124","a":{"b":1,"b":2}}'), 'application/json')).toMatchObject({
			ok: true,
			params: { to: ['+16505550123', '+16505550124'], a: { b: [1, 2] } },
		});
	});

	it('the same value under two spellings is fine', async () => {
		const { result } = await callGateway('generic', { method: 'POST', contentType: 'application/json', body: '{"to":"+16505550123","Text":"hi","TEXT":"hi"}' });
		expect(result).toMatchObject({ ok: true, messages: [{ text: 'hi' }] });
	});
});

describe('body deadline', () => {
	it('a declared body that never comes gets 408, not a request held open', async () => {
		const stream = new PassThrough();
		stream.write('to=');
		const read = await readBody(stream, { 'content-length': '1000000' }, 2_000_000, 50);
		expect(read).toMatchObject({ ok: false, failure: { status: 408, code: 'request-timeout' } });
		stream.destroy();
	});

	it('also when the declared body is over the size limit: 408 if it never comes, 413 if it does', async () => {
		const never = new PassThrough();
		expect(await readBody(never, { 'content-length': '1000000' }, 65536, 50)).toMatchObject({ ok: false, failure: { status: 408 } });
		never.destroy();
		const comes = new PassThrough();
		comes.end(Buffer.alloc(100_000));
		expect(await readBody(comes, { 'content-length': '100000' }, 65536, 5000)).toMatchObject({ ok: false, failure: { status: 413 } });
	});
});

describe('secrets and codes never reach the output parameters', () => {
	it('redacts otp, pin, passcode, code and friends; keeps country codes', async () => {
		const { result } = await callGateway('privacyIdea', { query: 'phone=%2B16505550123&otp=482913&pin=1234&passcode=9&verificationCode=7&auth_code=5&country_code=1&PIN=2' });
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.messages[0].text).toBe('482913');
		expect(result.messages[0].parameters).toMatchObject({ otp: '[redacted]', pin: '[redacted]', passcode: '[redacted]', verificationCode: '[redacted]', auth_code: '[redacted]', PIN: '[redacted]', country_code: '1' });
		expect(JSON.stringify(result.messages[0].parameters)).not.toContain('482913');
		expect(isCodeName('countryCode')).toBe(false);
		expect(isCodeName('payload.code')).toBe(true);
	});
});

describe('secure by default', () => {
	it('without authentication or an allow-list the trigger serves nobody (403 in the caller format)', async () => {
		const { result, reply } = await callGateway('manageEngine', { query: 'mobileNumber=16505550123&message=x' }, { allowAnyone: false });
		expect(result).toMatchObject({ ok: false, failure: { status: 403, code: 'gateway-not-secured' } });
		expect(reply.status).toBe(403);
		expect(reply.body.startsWith('FAILED:')).toBe(true);
	});
});

describe('a workflow that ends without a Reply answering', () => {
	let server: Server;
	let mode: 'marker' | 'empty' | 'n8nError' = 'empty';
	beforeAll(async () => {
		server = createServer((req, res) => {
			answerWhenNoReply(res, getPreset('curity')!.reply, { respondToWebhook: false });
			if (mode === 'marker') {
				res.setHeader(REPLY_MARKER_HEADER, '1');
				res.statusCode = 200;
				res.end();
			} else if (mode === 'empty') {
				res.statusCode = 200;
				res.end();
			} else {
				res.statusCode = 500;
				res.setHeader('content-type', 'application/json');
				res.end('{"message":"Error in workflow"}');
			}
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	});
	afterAll(() => new Promise<void>((r) => server.close(() => r())));

	const get = () =>
		new Promise<{ status: number; body: string; headers: Record<string, unknown> }>((resolve) => {
			request(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, (res) => {
				let body = '';
				res.on('data', (c) => (body += c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
			}).end();
		});

	it("n8n's empty 200 becomes the preset's failure reply; its generic error too", async () => {
		mode = 'empty';
		const empty = await get();
		expect(empty.status).toBe(500);
		expect(JSON.parse(empty.body)).toMatchObject({ error: 'no-reply' });
		mode = 'n8nError';
		expect(JSON.parse((await get()).body)).toMatchObject({ error: 'no-reply' });
	});

	it("the Reply node's answer passes, without the marker header", async () => {
		mode = 'marker';
		const ok = await get();
		expect(ok).toMatchObject({ status: 200, body: '' });
		expect(ok.headers[REPLY_MARKER_HEADER]).toBeUndefined();
	});
});
