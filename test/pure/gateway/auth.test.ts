import { checkAuth, parseAllowList, safeEqual, type GatewayAuth } from '../../../lib/gateway';

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

describe('caller authentication', () => {
	const req = (headers: Record<string, string> = {}, query: Record<string, unknown> = {}) => ({ headers, query });

	it('none accepts everyone', () => {
		expect(checkAuth({ authType: 'none' }, req())).toEqual({ ok: true });
		expect(checkAuth(undefined, req())).toEqual({ ok: true });
	});

	it('basic: right pair passes; wrong user, wrong password, missing header fail with a challenge', () => {
		const auth: GatewayAuth = { authType: 'basicAuth', user: 'me', password: 'p:ss' };
		expect(checkAuth(auth, req({ authorization: basic('me', 'p:ss') }))).toEqual({ ok: true });
		expect(checkAuth(auth, req({ authorization: basic('you', 'p:ss') }))).toMatchObject({ ok: false, failure: { status: 401 } });
		expect(checkAuth(auth, req({ authorization: basic('me', 'p') }))).toMatchObject({ ok: false, wwwAuthenticate: expect.stringContaining('Basic') });
		expect(checkAuth(auth, req())).toMatchObject({ ok: false, failure: { status: 401 } });
	});

	it('a credential with an empty secret refuses rather than accepting an empty secret', () => {
		expect(checkAuth({ authType: 'basicAuth', user: '', password: '' }, req({ authorization: basic('', '') })).ok).toBe(false);
		expect(checkAuth({ authType: 'bearer', token: '' }, req({ authorization: 'Bearer ' })).ok).toBe(false);
		expect(checkAuth({ authType: 'header', token: '', name: 'x-key' }, req({ 'x-key': '' })).ok).toBe(false);
	});

	it('bearer, header and query tokens', () => {
		expect(checkAuth({ authType: 'bearer', token: 't0k' }, req({ authorization: 'Bearer t0k' })).ok).toBe(true);
		expect(checkAuth({ authType: 'bearer', token: 't0k' }, req({ authorization: 'Bearer t0kX' })).ok).toBe(false);
		expect(checkAuth({ authType: 'header', token: 't0k', name: 'X-Api-Key' }, req({ 'x-api-key': 't0k' })).ok).toBe(true);
		expect(checkAuth({ authType: 'header', token: 't0k', name: 'X-Api-Key' }, req({ 'x-api-key': 'nope' })).ok).toBe(false);
		expect(checkAuth({ authType: 'query', token: 't0k', name: 'key' }, req({}, { key: 't0k' })).ok).toBe(true);
		expect(checkAuth({ authType: 'query', token: 't0k', name: 'key' }, req({}, { key: ['nope', 't0k'] })).ok).toBe(false);
	});

	it('refusals never echo the expected secret', () => {
		const r = checkAuth({ authType: 'bearer', token: 'super-secret-token' }, req({ authorization: 'Bearer wrong' }));
		expect(JSON.stringify(r)).not.toContain('super-secret-token');
	});

	it('safeEqual compares strings of different lengths without throwing', () => {
		expect(safeEqual('a', 'ab')).toBe(false);
		expect(safeEqual('ab', 'ab')).toBe(true);
	});
});

describe('IP allow-list', () => {
	it('matches addresses and CIDR ranges, IPv4-mapped IPv6 included', () => {
		const list = parseAllowList('10.0.0.0/8, 192.168.1.5 2001:db8::/32');
		expect(list.check('10.1.2.3')).toBe(true);
		expect(list.check('::ffff:10.1.2.3')).toBe(true);
		expect(list.check('192.168.1.5')).toBe(true);
		expect(list.check('192.168.1.6')).toBe(false);
		expect(list.check('2001:db8::1')).toBe(true);
		expect(list.check('2001:db9::1')).toBe(false);
		expect(list.check('garbage')).toBe(false);
	});
	it('an empty list allows everyone; a bad entry is reported', () => {
		expect(parseAllowList('').check('1.2.3.4')).toBe(true);
		expect(() => parseAllowList('10.0.0.0/99')).toThrow(/prefix/);
		expect(() => parseAllowList('not-an-ip')).toThrow(/not an IP/);
	});
});
