/**
 * Fail closed under every On Error setting, through n8n's real execution engine: for each OTP node, each
 * On Error setting and each failure we can produce, no item ever reaches a success output (Approved,
 * Issued, Approved / Created), and nothing is texted. The cells are printed as a table.
 */
import { resetOtpStores } from '../../lib/otp';
import { resetRingCentralClients } from '../../lib/ringcentral';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../simulator';
import { PKG, runNode, type OnError, type NodeUnderTest, type RunResult } from './engine';

const PEPPER = 'b7e15163c8a1f0d2e4b6a8c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

let sim: Simulator;
beforeAll(async () => {
	sim = await startSimulator({ port: 0, latencyMs: 0 });
});
afterAll(async () => {
	await resetRingCentralClients();
	await resetOtpStores();
	await sim.close();
});

/** Each failure: which credential ids the node points at, and what those ids hold. */
interface Failure {
	name: string;
	otpCredential?: string;
	credentials: Record<string, Record<string, unknown>>;
	/** Parameter overrides, e.g. an expression that fails. */
	parameters?: Record<string, unknown>;
}

const good = { pepper: PEPPER, storeType: 'memory' };
const FAILURES: Failure[] = [
	{ name: 'weak pepper', otpCredential: 'otp', credentials: { otp: { pepper: 'letmein-letmein', storeType: 'memory' } } },
	{ name: 'missing pepper', otpCredential: 'otp', credentials: { otp: { storeType: 'memory' } } },
	{ name: 'credential not set', otpCredential: undefined, credentials: {} },
	{ name: 'credential deleted', otpCredential: 'gone', credentials: {} },
	{ name: 'Redis unreachable', otpCredential: 'otp', credentials: { otp: { pepper: PEPPER, storeType: 'redis', host: '127.0.0.1', port: 1, keyPrefix: 'matrix:' } } },
	{
		name: 'Redis refuses auth',
		otpCredential: 'otp',
		credentials: { otp: { pepper: PEPPER, storeType: 'redis', host: '127.0.0.1', port: 6379, username: 'nobody-here', password: 'wrong-password', keyPrefix: 'matrix:' } },
	},
	{ name: 'expression fails', otpCredential: 'otp', credentials: { otp: good }, parameters: { identifier: '={{ $json.missing.deeper.trim() }}' } },
];

interface Subject {
	name: string;
	node: (f: Failure) => NodeUnderTest;
	outputs: number;
	/** The output index that means success. */
	success: number;
}

const rcCredential = () => ({ serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt });
const otpCreds = (f: Failure): Record<string, string> => (f.otpCredential ? { otpStoreApi: f.otpCredential } : {});

const SUBJECTS: Subject[] = [
	{
		name: 'OTP Verify',
		outputs: 2,
		success: 1,
		node: (f) => ({
			type: `${PKG}.otpVerify`,
			parameters: { identifier: '+16505550123', purpose: 'login', code: '123456', options: {}, ...f.parameters },
			credentials: otpCreds(f),
		}),
	},
	{
		name: 'OTP Generate (send)',
		outputs: 2,
		success: 1,
		node: (f) => ({
			type: `${PKG}.otpGenerate`,
			parameters: { identifier: '+16505550123', purpose: 'login', delivery: 'send', sendTo: '', from: 'auto', template: 'Code {code}', options: {}, ...f.parameters },
			credentials: { ...otpCreds(f), ringCentralJwtApi: 'rc' },
		}),
	},
	{
		name: 'OTP Generate (output)',
		outputs: 2,
		success: 1,
		node: (f) => ({
			type: `${PKG}.otpGenerate`,
			parameters: { identifier: 'alice', purpose: 'login', delivery: 'output', output: 'message', template: 'Code {code}', options: {}, ...f.parameters },
			credentials: otpCreds(f),
		}),
	},
	{
		name: 'TOTP Verify',
		outputs: 2,
		success: 1,
		node: (f) => ({
			type: `${PKG}.totp`,
			parameters: { operation: 'verify', identifier: 'alice', secret: SECRET, code: '123456', verifyOptions: {}, ...f.parameters },
			credentials: otpCreds(f),
		}),
	},
];

const MODES: OnError[] = ['stopWorkflow', 'continueRegularOutput', 'continueErrorOutput'];

const table: string[] = [];

function summary(r: RunResult, s: Subject, mode: OnError): string {
	if (r.error) return 'stopped';
	const counts = r.outputs.map((o) => o.length);
	if (mode === 'continueErrorOutput') return `error output ${counts[s.outputs]}`;
	return `output 0 ${counts[0]} (${String(r.outputs[0][0]?.json.reason ?? '-')})`;
}

describe.each(SUBJECTS)('$name', (subject) => {
	afterAll(() => table.push(''));
	describe.each(FAILURES)('$name', (failure) => {
		it.each(MODES)('%s: nothing reaches the success output, nothing is sent', async (mode) => {
			sim.reset();
			await resetRingCentralClients();
			const before = sim.messages().length;
			const r = await runNode(
				{ ...subject.node(failure), onError: mode },
				[{ json: { caller: 'x' } }, { json: { caller: 'y' } }],
				{ credentials: { ...failure.credentials, rc: rcCredential() }, outputCount: subject.outputs },
			);
			table.push(`${subject.name} | ${failure.name} | ${mode} | ${summary(r, subject, mode)}`);
			expect(r.outputs[subject.success]).toEqual([]);
			expect(sim.messages().length - before).toBe(0);
			// Every item is accounted for, and never as a success: the workflow stopped, or each item is a
			// failure (a stable reason) or, for a caller's unreadable input, a denial.
			const failedOrDenied = mode === 'continueErrorOutput' ? r.outputs[subject.outputs] : r.outputs[0];
			if (r.error) {
				expect(mode).toBe('stopWorkflow');
			} else {
				const denial = failure.name === 'expression fails' && r.outputs[0].length > 0 && r.outputs[0].every((i) => i.json.reason === 'malformed');
				expect(denial ? r.outputs[0] : failedOrDenied).toHaveLength(2);
				if (!denial && mode === 'continueRegularOutput') {
					for (const item of r.outputs[0]) {
						expect(item.json.error).toEqual(expect.any(String));
						// rate_limited: the abuse guard's per-number limit, which an earlier cell used up — also a refusal.
						expect(['misconfigured', 'store_unavailable', 'invalid_input', 'rate_limited']).toContain(item.json.reason);
					}
				}
				if (!denial && mode === 'continueErrorOutput') expect(r.outputs[0]).toEqual([]);
			}
			// No secret of any credential in what the node put out or stopped with.
			const visible = JSON.stringify({ outputs: r.outputs, error: r.error });
			for (const secret of [PEPPER, 'wrong-password', 'letmein-letmein', SIM_DEFAULTS.jwt, SIM_DEFAULTS.clientSecret]) expect(visible).not.toContain(secret);
		});
	});
});

afterAll(() => {
	process.stdout.write(`\nOn Error matrix (node | failure | setting | result):\n${table.join('\n')}\n`);
});

describe("n8n's own fallback for a node that throws", () => {
	it('puts the input items on output 0, which for every OTP node is a refusal (Denied / Not Issued)', async () => {
		const { OtpVerify } = await import('../../nodes/OtpVerify/OtpVerify.node');
		const { registerNodeType } = await import('./engine');
		class ThrowingVerify extends OtpVerify {
			async execute(): Promise<never> {
				throw new Error('a fault that escaped the item runner');
			}
		}
		registerNodeType('test.throwingVerify', new ThrowingVerify());
		for (const onError of ['continueRegularOutput', 'continueErrorOutput'] as const) {
			const r = await runNode({ type: 'test.throwingVerify', parameters: { identifier: 'alice', code: '000000' }, onError }, [{ json: { code: '000000' } }], { outputCount: 2 });
			expect(r.outputs[0]).toEqual([expect.objectContaining({ json: { code: '000000' } })]);
			expect(r.outputs[1]).toEqual([]);
		}
	});
});
