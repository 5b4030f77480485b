/**
 * The Ringotel SSO template as shipped, in a real n8n, against a real OpenLDAP (slapd with ppolicy) and
 * the OTP store on real Redis under a prefix of its own (removed afterwards). n8n runs behind one proxy
 * hop (N8N_PROXY_HOPS=1) so each test can come from an address of its own via X-Forwarded-For.
 */
import { randomBytes } from 'crypto';
import Redis from 'ioredis';
import { Secret, TOTP } from 'otpauth';
import { Pepper, RedisOtpStore, activateSecret, findSecret, storePendingSecret } from '../../lib/otp';
import { PASSWORDS, SERVICE_DN, SERVICE_PASSWORD, SUFFIX, startSlapd, type Slapd } from '../services/ldap/slapd';
import { E2E_TIMEOUT_MS, startN8n, type N8nInstance } from './harness';
import { RINGOTEL_CALLER, TEMPLATE_TEST_ENV, loadTemplate, templateCredentials } from './browser/templates';

const PREFIX = `n8n-rc-e2e-sso-${randomBytes(4).toString('hex')}:`;
const PATH = 'ringotel/authorize';
/** The same template with "Password Ends With a TOTP Code" on, on a path of its own. */
const PATH_2FA = 'ringotel/authorize-2fa';
const ERIN_SECRET = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
let slapd: Slapd;
let n8n: N8nInstance;
let redis: Redis;
let start: () => Promise<N8nInstance>;

const BASIC = `Basic ${Buffer.from(`${RINGOTEL_CALLER.user}:${RINGOTEL_CALLER.password}`).toString('base64')}`;

interface Reply {
	status: number;
	body: string;
	contentType: string | null;
}

async function authorize(body: unknown, o: { auth?: string | null; ip?: string; raw?: string; contentType?: string; method?: string; path?: string } = {}): Promise<Reply> {
	const headers: Record<string, string> = { 'content-type': o.contentType ?? 'application/json', 'x-forwarded-for': o.ip ?? '198.51.100.1' };
	if (o.auth !== null) headers.authorization = o.auth ?? BASIC;
	const res = await fetch(n8n.webhookUrl(o.path ?? PATH), { method: o.method ?? 'POST', headers, body: o.method === 'GET' ? undefined : (o.raw ?? JSON.stringify(body)) });
	return { status: res.status, body: await res.text(), contentType: res.headers.get('content-type') };
}

async function ourKeys(): Promise<string[]> {
	const keys: string[] = [];
	let cursor = '0';
	do {
		const [next, batch] = await redis.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 500);
		cursor = next;
		keys.push(...batch);
	} while (cursor !== '0');
	return keys;
}

beforeAll(async () => {
	redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true, maxRetriesPerRequest: 1 });
	await redis.connect();
	slapd = await startSlapd();
	const template = loadTemplate('ringotel');
	const variant = JSON.parse(JSON.stringify(template));
	variant.id = 'ringotelSso2faE2';
	variant.name = `${template.name} (second factor)`;
	for (const [i, node] of variant.nodes.entries()) {
		if (node.webhookId) {
			// The sign-in trigger on a path of its own; the copy's enrolment webhooks moved out of the way.
			node.parameters.path = node.type.endsWith('.ssoLoginTrigger') ? PATH_2FA : `${node.parameters.path}-copy`;
			node.webhookId = `6f1c7a52-3f8e-4d7b-9a51-0c2d4e6f8a${String(90 + i).padStart(2, '0')}`;
		}
		if (node.type.endsWith('.directoryLogin')) node.parameters.secondFactor = true;
	}
	const pepper = randomBytes(32).toString('hex');
	// Erin enrolled an authenticator app (what the enrolment template does), straight into the shared store.
	const store = new RedisOtpStore(redis, { keyPrefix: PREFIX });
	await storePendingSecret(store, new Pepper(pepper), 'erin', ERIN_SECRET);
	await activateSecret(store, new Pepper(pepper), 'erin', (await findSecret(store, new Pepper(pepper), 'erin', 'pending'))!);
	const credentials = templateCredentials([template], 'http://127.0.0.1:9').map((c: any) => {
		if (c.type === 'otpStoreApi') return { ...c, data: { pepper, storeType: 'redis', host: '127.0.0.1', port: 6379, database: 0, keyPrefix: PREFIX } };
		if (c.type === 'directoryApi') return { ...c, data: { url: slapd.url, startTls: false, bindDn: SERVICE_DN, bindPassword: SERVICE_PASSWORD, searchBase: SUFFIX, userFilter: '(uid={username})' } };
		return c;
	});
	start = () => startN8n({ workflows: [template, variant], credentials, env: { ...TEMPLATE_TEST_ENV, N8N_PROXY_HOPS: '1' } });
	n8n = await start();
}, E2E_TIMEOUT_MS);

afterAll(async () => {
	await n8n?.stop();
	await slapd?.stop();
	if (redis) {
		const keys = await ourKeys();
		if (keys.length) await redis.del(...keys);
		await redis.quit();
	}
});

test('the right password → 200 with the response_map shape Ringotel reads', async () => {
	const reply = await authorize({ username: 'alice', password: PASSWORDS.alice }, { ip: '198.51.100.10' });
	expect(reply.status).toBe(200);
	expect(JSON.parse(reply.body)).toEqual({ values: [{ username: 'alice', display_name: 'Alice Example' }] });
	expect(reply.body).not.toContain(PASSWORDS.alice);
});

test('wrong password, unknown user, empty password and a locked account → the identical 403', async () => {
	const ip = '198.51.100.11';
	const replies = [
		await authorize({ username: 'alice', password: 'not-her-password' }, { ip }),
		await authorize({ username: 'nobody-here', password: 'whatever' }, { ip }),
		await authorize({ username: 'alice', password: '' }, { ip }),
		await authorize({ username: 'carol', password: PASSWORDS.carol }, { ip }),
	];
	for (const reply of replies) expect(reply).toEqual(replies[0]);
	expect(replies[0].status).toBe(403);
	expect(replies[0].body.length).toBeLessThan(40);
});

test('without Ringotel\'s authorization → 401 and nothing runs (no failure is counted)', async () => {
	const before = (await ourKeys()).length;
	const none = await authorize({ username: 'alice', password: PASSWORDS.alice }, { auth: null, ip: '198.51.100.12' });
	const wrong = await authorize({ username: 'alice', password: PASSWORDS.alice }, { auth: `Basic ${Buffer.from('ringotel:guess').toString('base64')}`, ip: '198.51.100.12' });
	const bearer = await authorize({ username: 'bob', password: 'x' }, { auth: 'Bearer something', ip: '198.51.100.12' });
	for (const reply of [none, wrong, bearer]) {
		expect(reply.status).toBe(401);
		expect(reply.body).toBe('{"error":"unauthorized"}');
	}
	expect((await ourKeys()).length).toBe(before);
});

test('malformed JSON, missing fields, a wrong content type and an oversized body → 4xx before anything runs', async () => {
	const ip = '198.51.100.13';
	expect((await authorize(undefined, { raw: '{"username": "alice", "password": ', ip })).status).toBe(400);
	expect((await authorize({ username: 'alice' }, { ip })).status).toBe(400);
	expect((await authorize({ password: 'x' }, { ip })).status).toBe(400);
	expect((await authorize({ username: ['alice'], password: 'x' }, { ip })).status).toBe(400);
	expect((await authorize(undefined, { raw: '{"username":"a","username":"alice","password":"x"}', ip })).status).toBe(400);
	expect((await authorize(undefined, { raw: 'username=alice&password=x', contentType: 'application/x-www-form-urlencoded', ip })).status).toBe(415);
	expect((await authorize({ username: 'alice', password: 'x'.repeat(20_000) }, { ip })).status).toBe(413);
});

test('lockout after 5 failures holds for the right password, and across an n8n restart (counts in Redis)', async () => {
	// Each try from its own address, so only the username's count is at stake.
	for (let i = 0; i < 5; i++) expect((await authorize({ username: 'bob', password: `wrong-${i}` }, { ip: `198.51.100.${20 + i}` })).status).toBe(403);
	expect((await authorize({ username: 'bob', password: PASSWORDS.bob }, { ip: '198.51.100.30' })).status).toBe(403);
	const failureKeys = (await ourKeys()).filter((k) => k.endsWith(':failures'));
	expect(failureKeys.length).toBeGreaterThan(0);
	await n8n.stop();
	n8n = await start();
	expect((await authorize({ username: 'bob', password: PASSWORDS.bob }, { ip: '198.51.100.31' })).status).toBe(403);
	// Another user is not affected.
	expect((await authorize({ username: 'alice', password: PASSWORDS.alice }, { ip: '198.51.100.32' })).status).toBe(200);
}, E2E_TIMEOUT_MS);

test('one source address is locked out after 10 failures, whatever usernames it tries', async () => {
	const ip = '198.51.100.40';
	for (let i = 0; i < 10; i++) expect((await authorize({ username: `user-${i}`, password: 'x' }, { ip })).status).toBe(403);
	expect((await authorize({ username: 'alice', password: PASSWORDS.alice }, { ip })).status).toBe(403);
	expect((await authorize({ username: 'alice', password: PASSWORDS.alice }, { ip: '198.51.100.41' })).status).toBe(200);
});

test('second factor: password + code works once; a replayed code, a wrong code or no code → 403', async () => {
	const ip = '198.51.100.60';
	const code = TOTP.generate({ secret: Secret.fromBase32(ERIN_SECRET) });
	const ok = await authorize({ username: 'erin', password: `${PASSWORDS.erin}${code}` }, { ip, path: PATH_2FA });
	expect(ok.status).toBe(200);
	expect(JSON.parse(ok.body)).toEqual({ values: [{ username: 'erin', display_name: 'Erin Tries' }] });
	const replayed = await authorize({ username: 'erin', password: `${PASSWORDS.erin}${code}` }, { ip, path: PATH_2FA });
	const wrongCode = await authorize({ username: 'erin', password: `${PASSWORDS.erin}${code === '000000' ? '111111' : '000000'}` }, { ip, path: PATH_2FA });
	const noCode = await authorize({ username: 'erin', password: PASSWORDS.erin }, { ip, path: PATH_2FA });
	const wrongPassword = await authorize({ username: 'erin', password: `not-hers${code}` }, { ip, path: PATH_2FA });
	// Alice has the right password but never enrolled an app.
	const notEnrolled = await authorize({ username: 'alice', password: `${PASSWORDS.alice}${code}` }, { ip, path: PATH_2FA });
	for (const reply of [replayed, wrongCode, noCode, wrongPassword, notEnrolled]) expect(reply).toEqual({ status: 403, body: replayed.body, contentType: replayed.contentType });
});

test('enrolment: the password gives a QR code, the first code activates it, a second enrolment is refused, then 2FA sign-in works', async () => {
	const post = async (path: string, body: unknown) => {
		const res = await fetch(n8n.webhookUrl(path), { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.70' }, body: JSON.stringify(body) });
		return { status: res.status, json: JSON.parse(await res.text()) };
	};
	expect((await post('ringotel/enrol', { username: 'dave', password: 'not-his' })).status).toBe(403);
	const started = await post('ringotel/enrol', { username: 'dave', password: PASSWORDS.dave });
	expect(started.status).toBe(200);
	expect(started.json.qrDataUrl).toMatch(/^data:image\/png;base64,/);
	const secret = new URL(started.json.otpauthUri).searchParams.get('secret') as string;
	// Pending is not active: a 2FA sign-in with a right code is refused until the first code is proven.
	const early = TOTP.generate({ secret: Secret.fromBase32(secret) });
	expect((await authorize({ username: 'dave', password: `${PASSWORDS.dave}${early}` }, { ip: '198.51.100.71', path: PATH_2FA })).status).toBe(403);
	expect((await post('ringotel/enrol/confirm', { username: 'dave', password: PASSWORDS.dave, code: early === '000000' ? '111111' : '000000' })).status).toBe(403);
	const confirmed = await post('ringotel/enrol/confirm', { username: 'dave', password: PASSWORDS.dave, code: TOTP.generate({ secret: Secret.fromBase32(secret) }) });
	expect(confirmed).toEqual({ status: 200, json: { enrolled: true } });
	expect((await post('ringotel/enrol', { username: 'dave', password: PASSWORDS.dave })).status).toBe(409);
	const later = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + 30_000 });
	expect((await authorize({ username: 'dave', password: `${PASSWORDS.dave}${later}` }, { ip: '198.51.100.72', path: PATH_2FA })).status).toBe(200);
	// Nothing in Redis names dave or holds his secret.
	const dump = JSON.stringify(await Promise.all((await ourKeys()).map((k) => redis.hgetall(k))));
	expect(dump).not.toContain(secret);
	expect(dump).not.toContain('dave');
});

test('directory down → 503, never 200', async () => {
	await slapd.stop();
	const reply = await authorize({ username: 'alice', password: PASSWORDS.alice }, { ip: '198.51.100.50' });
	expect(reply.status).toBe(503);
	expect(JSON.parse(reply.body)).toEqual({ error: 'unavailable' });
	expect(reply.body).not.toContain('alice');
	// Not erin: the 2FA test's failures (a replay and a wrong code count two each) locked her out.
	const twoFactor = await authorize({ username: 'dave', password: `${PASSWORDS.dave}123456` }, { ip: '198.51.100.51', path: PATH_2FA });
	expect(twoFactor.status).toBe(503);
});
