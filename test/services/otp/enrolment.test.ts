/** TOTP enrolment storage (lib/otp/enrolment.ts) on both stores, and the TOTP node's Enrol / Verify by identifier. */
import { Secret, TOTP } from 'otpauth';
import { Pepper, activateSecret, findSecret, resetOtpStores, removeEnrolment, storePendingSecret, PENDING_LIFETIME_MS } from '../../../lib/otp';
import { Totp } from '../../../nodes/Totp/Totp.node';
import { PEPPER, memoryFixture, redisFixture, type StoreFixture } from '../../pure/otp/helpers';
import { fakeContext } from '../../pure/otp/nodeContext';

const pepper = new Pepper(PEPPER);
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe.each([
	['memory', memoryFixture],
	['redis', () => redisFixture()],
])('enrolment on the %s store', (_name, make) => {
	let f: StoreFixture;
	beforeEach(() => {
		f = make();
	});
	afterEach(async () => {
		await f.close();
	});

	it('a stored secret is pending until activated, and only then the active one', async () => {
		await storePendingSecret(f.store, pepper, 'alice', SECRET, { digits: 6 }, 1_000);
		expect(await findSecret(f.store, pepper, 'alice', 'active', 2_000)).toBeUndefined();
		const pending = await findSecret(f.store, pepper, 'alice', 'pending', 2_000);
		expect(pending).toMatchObject({ secret: SECRET, state: 'pending', settings: { algorithm: 'SHA1', digits: 6, period: 30 } });
		expect(await activateSecret(f.store, pepper, 'alice', pending!)).toBe(true);
		expect(await findSecret(f.store, pepper, 'alice', 'active', 3_000)).toMatchObject({ secret: SECRET, state: 'active' });
		expect(await findSecret(f.store, pepper, 'alice', 'pending', 3_000)).toBeUndefined();
		// A second activation of the same pending secret does nothing.
		expect(await activateSecret(f.store, pepper, 'alice', pending!)).toBe(false);
	});

	it('a new enrolment leaves the active secret in use until it is confirmed; an older pending one cannot be activated', async () => {
		await storePendingSecret(f.store, pepper, 'bob', SECRET, {}, 1_000);
		await activateSecret(f.store, pepper, 'bob', (await findSecret(f.store, pepper, 'bob', 'pending', 1_000))!);
		const other = 'KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU';
		await storePendingSecret(f.store, pepper, 'bob', other, {}, 2_000);
		const first = await findSecret(f.store, pepper, 'bob', 'pending', 2_000);
		await storePendingSecret(f.store, pepper, 'bob', SECRET, {}, 3_000);
		expect(await activateSecret(f.store, pepper, 'bob', first!)).toBe(false);
		expect((await findSecret(f.store, pepper, 'bob', 'active', 3_000))?.secret).toBe(SECRET);
	});

	it('a pending secret expires; removal forgets both', async () => {
		await storePendingSecret(f.store, pepper, 'carol', SECRET, {}, 1_000);
		expect(await findSecret(f.store, pepper, 'carol', 'pending', 1_000 + PENDING_LIFETIME_MS)).toBeUndefined();
		expect(await removeEnrolment(f.store, pepper, 'carol')).toBe(true);
		expect(await removeEnrolment(f.store, pepper, 'carol')).toBe(false);
	});

	it('the store holds neither the secret nor the identifier, and the sealed value opens for nobody else', async () => {
		await storePendingSecret(f.store, pepper, 'dave@example.test', SECRET);
		const dump = await f.dump();
		expect(dump).not.toContain(SECRET);
		expect(dump).not.toContain('dave');
		expect(await findSecret(f.store, new Pepper(`${PEPPER}-other`), 'dave@example.test', 'pending')).toBeUndefined();
		const sealed = (await f.store.enrolment(pepper.identity('dave@example.test'))).pending!;
		await f.store.setPendingEnrolment(pepper.identity('eve'), sealed);
		expect(await findSecret(f.store, pepper, 'eve', 'pending')).toBeUndefined();
	});
});

describe('TOTP node: Enrol, then Verify Code by identifier', () => {
	const otpStoreApi = { pepper: PEPPER, storeType: 'memory' };
	afterAll(async () => {
		await resetOtpStores();
	});
	const run = (params: Record<string, unknown>) => new Totp().execute.call(fakeContext({ params, credentials: { otpStoreApi } }));

	it('the workflow names only the identifier; the first code confirms, a replay is refused, nothing unenrolled is approved', async () => {
		const [, created] = await run({ operation: 'enrol', identifier: 'Frank', issuer: 'Acme', account: 'frank@acme.test', enrolOptions: { identifierType: 'text' } });
		expect(created[0].json).toMatchObject({ identifier: expect.any(String), state: 'pending' });
		expect(created[0].json).not.toHaveProperty('secret');
		expect(created[0].binary?.qrCode).toBeDefined();
		const secret = new URL(String(created[0].json.uri)).searchParams.get('secret')!;
		const code = TOTP.generate({ secret: Secret.fromBase32(secret) });
		const verify = (c: string, confirmEnrolment: boolean) =>
			run({ operation: 'verify', identifier: 'frank', secretSource: 'enrolled', confirmEnrolment, code: c, verifyOptions: { identifierType: 'text' } });

		// Not active yet: a sign-in is refused before any code is compared.
		expect((await verify(code, false))[0][0].json).toMatchObject({ approved: false, reason: 'not_enrolled' });
		const [, confirmed] = await verify(code, true);
		expect(confirmed[0].json).toMatchObject({ approved: true, enrolment: 'active' });
		// The same code again (now against the active secret): replayed.
		expect((await verify(code, false))[0][0].json).toMatchObject({ approved: false, reason: 'replayed' });
		const next = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + 30_000 });
		expect((await verify(next, false))[1][0].json).toMatchObject({ approved: true, enrolment: 'active' });
		expect((await run({ operation: 'verify', identifier: 'nobody', secretSource: 'enrolled', code: next }))[0][0].json).toMatchObject({ reason: 'not_enrolled' });
		// Knowing the password is not enough to replace the app: a second enrolment is refused.
		const [again, none] = await run({ operation: 'enrol', identifier: 'frank', issuer: 'Acme', account: 'frank@acme.test', enrolOptions: { identifierType: 'text' } });
		expect(none).toEqual([]);
		expect(again[0].json).toMatchObject({ created: false, reason: 'already_enrolled' });
	});
});
