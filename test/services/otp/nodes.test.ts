/**
 * The OTP nodes as a workflow uses them, with the RingCentral simulator standing in for RingCentral:
 * the user's story is "the code arrives by SMS, is typed back, and is never in the node's output".
 */
import type { INodeExecutionData } from 'n8n-workflow';
import { resetGuardLimiter } from '../../../lib/guard';
import { resetOtpStores } from '../../../lib/otp';
import { resetRingCentralClients } from '../../../lib/ringcentral';
import { OtpGenerate } from '../../../nodes/OtpGenerate/OtpGenerate.node';
import { ISSUED, NOT_ISSUED } from '../../../nodes/OtpGenerate/generate';
import { APPROVED, DENIED, OtpVerify } from '../../../nodes/OtpVerify/OtpVerify.node';
import { Totp } from '../../../nodes/Totp/Totp.node';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../../simulator';
import { PEPPER } from '../../pure/otp/helpers';
import { fakeContext } from '../../pure/otp/nodeContext';

let sim: Simulator;
let credentials: Record<string, Record<string, unknown>>;

beforeAll(async () => {
	sim = await startSimulator({ port: 0, latencyMs: 0 });
	credentials = {
		otpStoreApi: { pepper: PEPPER, storeType: 'memory' },
		ringCentralJwtApi: { serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt },
	};
});
afterAll(async () => {
	await resetRingCentralClients();
	await resetOtpStores();
	await sim.close();
});
beforeEach(async () => {
	// A simulator reset ends its sessions, so the shared RingCentral client must log in again too.
	sim.reset();
	await resetRingCentralClients();
	await resetOtpStores();
	// Each test starts with the abuse guard's per-number limits fresh, as OTP's own limits do.
	resetGuardLimiter();
});

const generate = (params: Record<string, unknown>, continueOnFail = false) =>
	new OtpGenerate().execute.call(fakeContext({ params: { purpose: 'login', delivery: 'send', template: 'Your code is {code}. It expires in {minutes} minutes.', options: {}, ...params }, credentials, continueOnFail }));
const verify = (params: Record<string, unknown>) => new OtpVerify().execute.call(fakeContext({ params: { purpose: 'login', options: {}, ...params }, credentials }));

function codeFromSms(to: string): string {
	const texts = sim.messages({ to }).map((m) => m.text);
	const match = /(\d{6})/.exec(texts[texts.length - 1] ?? '');
	if (!match) throw new Error('no code in the SMS');
	return match[1];
}

const json = (out: INodeExecutionData[][], output: number) => out[output].map((i) => i.json);

describe('OTP Generate → SMS → OTP Verify', () => {
	it('texts the code, keeps it out of the output, and approves it once', async () => {
		const out = await generate({ identifier: '(650) 555-0123' });
		const code = codeFromSms('+16505550123');
		expect(sim.messages()[0]).toMatchObject({ from: '+16505550100', text: `Your code is ${code}. It expires in 10 minutes.` });
		expect(json(out, ISSUED)).toEqual([
			expect.objectContaining({ identifier: '+1650•••0123', to: '+1650•••0123', delivery: 'sms', verificationId: expect.any(String), expiresAt: expect.any(String) }),
		]);
		expect(JSON.stringify(out)).not.toContain(code);
		expect(JSON.stringify(out)).not.toContain('Your code is');
		expect(out[ISSUED][0].pairedItem).toEqual({ item: 0 });

		const ok = await verify({ identifier: '+16505550123', code });
		expect(json(ok, APPROVED)).toEqual([{ approved: true, verificationId: out[ISSUED][0].json.verificationId, identifier: '+1650•••0123', purpose: 'login' }]);
		const again = await verify({ identifier: '6505550123', code });
		expect(json(again, DENIED)).toEqual([expect.objectContaining({ approved: false, reason: 'unknown' })]);
	});

	it('Denied items differ only in the reason: same userMessage and fields for every reason', async () => {
		await generate({ identifier: '+16505550123' });
		const code = codeFromSms('+16505550123');
		const wrong = code.replace(/.$/, (d) => String((Number(d) + 1) % 10));
		const results = [
			...json(await verify({ identifier: '+16505550123', code: wrong }), DENIED),
			...json(await verify({ identifier: '+16505550177', code }), DENIED),
			...json(await verify({ identifier: '+16505550123', code: '12345é' }), DENIED),
		];
		expect(results.map((r) => r.reason)).toEqual(['wrong', 'unknown', 'malformed']);
		for (const r of results) expect(r.userMessage).toBe('The code is invalid or has expired.');
		expect(JSON.stringify(results)).not.toContain(code);
	});

	it('a failed send invalidates the code and fails the item without the code in the error', async () => {
		// The simulator stores the SMS and then drops the connection: outcome unknown, code possibly delivered.
		sim.addFaults({ path: '/restapi/v1.0/account/~/extension/~/sms', drop: 'after' });
		const error = await generate({ identifier: '+16505550123', options: { timeoutSeconds: 5 } }).then(
			() => undefined,
			(e: Error) => e,
		);
		expect(error).toBeInstanceOf(Error);
		expect(error?.message).toMatch(/could not be sent to \+1650•••0123 and was invalidated/);
		const code = codeFromSms('+16505550123');
		expect(JSON.stringify({ message: error?.message, description: (error as { description?: string })?.description })).not.toContain(code);
		// The code that may have arrived no longer works.
		expect(json(await verify({ identifier: '+16505550123', code }), DENIED)).toEqual([expect.objectContaining({ reason: 'unknown' })]);
		// The attempt counted toward the send limit (cooldown applies), then a new code works.
		expect(json(await generate({ identifier: '+16505550123' }), NOT_ISSUED)).toEqual([expect.objectContaining({ limit: 'cooldown' })]);
	});

	it('writes nothing to the console or stdio during generate, verify and a failed send', async () => {
		const written: string[] = [];
		const spies = [
			...(['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => jest.spyOn(console, m).mockImplementation((...a: unknown[]) => void written.push(a.map(String).join(' ')))),
			jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (written.push(String(chunk)), true)),
			jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (written.push(String(chunk)), true)),
		];
		try {
			await generate({ identifier: '+16505550123' });
			const code = codeFromSms('+16505550123');
			await verify({ identifier: '+16505550123', code: code.replace(/.$/, (d) => String((Number(d) + 1) % 10)) });
			await verify({ identifier: '+16505550123', code });
			sim.addFaults({ path: '/restapi/v1.0/account/~/extension/~/sms', status: 500, body: { errorCode: 'CMN-500', message: 'boom' } });
			await generate({ identifier: '+16505550124', options: { timeoutSeconds: 2 } }).catch(() => undefined);
		} finally {
			spies.forEach((s) => s.mockRestore());
		}
		expect(written).toEqual([]);
	});

	it('sends the limited item to the Not Issued output with retryAfterSeconds', async () => {
		await generate({ identifier: '+16505550123' });
		const out = await generate({ identifier: '+16505550123' });
		expect(out[ISSUED]).toHaveLength(0);
		expect(json(out, NOT_ISSUED)).toEqual([expect.objectContaining({ limited: true, reason: 'rate_limited', limit: 'cooldown', retryAfterSeconds: expect.any(Number) })]);
		expect(sim.messages()).toHaveLength(1);
	});

	it('output mode hands on the message (with the code) and sends nothing', async () => {
		const out = await generate({ identifier: 'Alice', delivery: 'output', output: 'messageAndCode' });
		const item = out[ISSUED][0].json;
		expect(item.message).toBe(`Your code is ${item.code as string}. It expires in 10 minutes.`);
		expect(item.identifier).toBe('a•••e');
		expect(sim.messages()).toHaveLength(0);
		expect(json(await verify({ identifier: 'alice', code: item.code }), APPROVED)).toHaveLength(1);
	});

	it('refuses destinations outside Allowed Countries before issuing a code', async () => {
		await expect(generate({ identifier: '+447911123456', options: { allowedCountries: 'US, CA' } })).rejects.toThrow(/may only go to US, CA \(Allowed Countries\)/);
		expect(sim.messages()).toHaveLength(0);
	});

	it('the shared abuse guard: a premium-rate number and ambiguous digits are refused before a code exists', async () => {
		await expect(generate({ identifier: '+19002345678' })).rejects.toThrow(/premium-rate/);
		await expect(generate({ identifier: 'alice', sendTo: '4745678901' })).rejects.toThrow(/\+14745678901 \(CA\) or \+4745678901 \(NO\)/);
		expect(sim.messages()).toHaveLength(0);
	});

	it('the shared abuse guard: the per-number limit refuses the next code to the same number, whoever asks', async () => {
		const options = { destinationPerMinute: 1 };
		expect(json(await generate({ identifier: 'alice', sendTo: '+16505550123', options }), ISSUED)).toHaveLength(1);
		await expect(generate({ identifier: 'bob', sendTo: '+16505550123', options })).rejects.toThrow(/too many SMS for \+1650•••0123/);
		expect(sim.messages()).toHaveLength(1);
	});

	it('continue on fail: one bad item does not stop the others, and every item is paired', async () => {
		const ctx = fakeContext({
			params: [
				{ identifier: '', purpose: 'login', delivery: 'send', template: 'Code {code}', options: {} },
				{ identifier: '+16505550123', purpose: 'login', delivery: 'send', template: 'Code {code}', options: {} },
			],
			credentials,
			continueOnFail: true,
		});
		const out = await new OtpGenerate().execute.call(ctx);
		expect(out[NOT_ISSUED].map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(out[NOT_ISSUED][0].json).toMatchObject({ reason: 'invalid_input', field: 'identifier', error: expect.stringMatching(/Identifier/) });
		expect(out[ISSUED].map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
	});

	it('refuses a weak pepper without echoing it', async () => {
		const weak = { ...credentials, otpStoreApi: { pepper: 'short-pepper', storeType: 'memory' } };
		const ctx = fakeContext({ params: { identifier: '+16505550123', purpose: 'login', delivery: 'send', template: '{code}', options: {} }, credentials: weak });
		await expect(new OtpGenerate().execute.call(ctx)).rejects.toThrow(/openssl rand -hex 32/);
	});
});

describe('TOTP node', () => {
	it('creates a secret with a PNG QR code, then approves its current code once', async () => {
		const created = await new Totp().execute.call(fakeContext({ params: { operation: 'createSecret', issuer: 'Acme', account: 'alice', binaryPropertyName: 'qrCode', options: {} }, credentials }));
		const { secret } = created[APPROVED][0].json as { secret: string };
		expect(created[APPROVED][0].binary?.qrCode.mimeType).toBe('image/png');
		const { TOTP, Secret } = await import('otpauth');
		const code = TOTP.generate({ secret: Secret.fromBase32(secret) });
		const run = () => new Totp().execute.call(fakeContext({ params: { operation: 'verify', identifier: 'alice', secret, code, verifyOptions: {} }, credentials }));
		expect(json(await run(), APPROVED)).toEqual([{ approved: true, identifier: 'a•••e' }]);
		expect(json(await run(), DENIED)).toEqual([{ approved: false, identifier: 'a•••e', reason: 'replayed' }]);
	});
});
