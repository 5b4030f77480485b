/**
 * SMS → Send with Attachments (MMS): every refusal happens before anything is sent, names the field and
 * says what to do; a good item sends one MMS per recipient with both files. Against the simulator.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { getRingCentralClient, resetRingCentralClients, type RingCentralClient } from '../../../lib/ringcentral';
import { attachmentNames, mmsAttachmentsOf, resolveMmsSender } from '../../../nodes/RingCentral/actions/mms';
import { sendSms } from '../../../nodes/RingCentral/actions/sendSms';
import { ItemError } from '../../../nodes/shared/errors';
import { SIM_DEFAULTS, startSimulator, type Simulator } from '../../../simulator';

let sim: Simulator;
let client: RingCentralClient;

function ctx(params: Record<string, unknown>, binary: Record<string, Buffer> = {}): IExecuteFunctions {
	const item: INodeExecutionData = {
		json: {},
		binary: Object.fromEntries(Object.entries(binary).map(([k, v]) => [k, { data: v.toString('base64'), mimeType: k.endsWith('png') ? 'image/png' : 'application/pdf', fileName: `${k}.bin` }])),
	};
	return {
		getNodeParameter: (name: string, _i: number, fallback?: unknown) => (name in params ? params[name] : fallback),
		getInputData: () => [item],
		continueOnFail: () => false,
		getNode: () => ({ onError: 'stopWorkflow' }),
		helpers: { getBinaryDataBuffer: async (_i: number, name: string) => binary[name] },
	} as unknown as IExecuteFunctions;
}

async function refusal(promise: Promise<unknown>): Promise<ItemError> {
	try {
		await promise;
	} catch (error) {
		return error as ItemError;
	}
	throw new Error('expected a refusal');
}

beforeAll(async () => {
	sim = await startSimulator({ port: 0, config: { statusDelays: { sentMs: 0, deliveredMs: 0 } } });
	client = getRingCentralClient({ serverUrl: sim.url, clientId: SIM_DEFAULTS.clientId, clientSecret: SIM_DEFAULTS.clientSecret, jwt: SIM_DEFAULTS.jwt });
});

afterAll(async () => {
	await resetRingCentralClients();
	await sim.close();
});

test('attachment names: comma, semicolon or new line separated, or an array', () => {
	expect(attachmentNames('data, img_png;\nother')).toEqual(['data', 'img_png', 'other']);
	expect(attachmentNames(['a', ' b '])).toEqual(['a', 'b']);
	expect(attachmentNames('')).toEqual([]);
});

test('no attachments: a plain SMS (nothing read)', async () => {
	expect(await mmsAttachmentsOf(ctx({ attachments: '' }), 0)).toEqual([]);
});

test('more than 10 attachments are refused, naming the field', async () => {
	const names = Array.from({ length: 11 }, (_, i) => `f${i}`);
	const error = await refusal(mmsAttachmentsOf(ctx({ attachments: names.join(',') }), 0));
	expect(error).toBeInstanceOf(ItemError);
	expect(error.field).toBe('attachments');
	expect(error.message).toMatch(/at most 10/);
});

test('a missing binary property is refused, listing the ones the item has', async () => {
	const error = await refusal(mmsAttachmentsOf(ctx({ attachments: 'photo' }, { img_png: Buffer.from('x') }), 0));
	expect(error.field).toBe('attachments');
	expect(error.message).toMatch(/no binary property "photo" \(it has: img_png\)/);
});

test('more than 1.5 MB in total is refused', async () => {
	const error = await refusal(
		mmsAttachmentsOf(ctx({ attachments: 'a_png, b_pdf' }, { a_png: Buffer.alloc(800_000), b_pdf: Buffer.alloc(800_000) }), 0),
	);
	expect(error.field).toBe('attachments');
	expect(error.message).toMatch(/1\.5 MB/);
});

test('an empty file is refused', async () => {
	const error = await refusal(mmsAttachmentsOf(ctx({ attachments: 'a_png' }, { a_png: Buffer.alloc(0) }), 0));
	expect(error.message).toMatch(/empty/);
});

test('From: toll-free, or without MmsSender, is refused with the numbers that would work; automatic picks an MMS number', async () => {
	const tollFree = await refusal(resolveMmsSender(client, SIM_DEFAULTS.a2pNumber, 10_000));
	expect(tollFree.field).toBe('from');
	expect(tollFree.message).toMatch(/toll-free numbers cannot send MMS.*\+16505550100/);
	const noMms = await refusal(resolveMmsSender(client, SIM_DEFAULTS.smsNumbers[1], 10_000));
	expect(noMms.field).toBe('from');
	expect(noMms.message).toMatch(/cannot send MMS.*MMS numbers: \+16505550100/);
	expect(await resolveMmsSender(client, 'auto', 10_000)).toBe('+16505550100');
});

test('Send with two attachments sends one MMS per recipient carrying both files', async () => {
	const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
	const pdf = Buffer.from('%PDF-1.4');
	const results = await sendSms(
		ctx({ from: 'auto', to: '+14155550123, +14155550124', text: 'see attached', attachments: 'a_png, b_pdf', options: {} }, { a_png: png, b_pdf: pdf }),
		client,
		0,
	);
	expect(results).toHaveLength(2);
	for (const r of results) {
		expect(r.json.from).toBe('+16505550100');
		expect(r.json.attachments).toEqual([
			{ fileName: 'a_png.bin', contentType: 'image/png', size: png.length },
			{ fileName: 'b_pdf.bin', contentType: 'application/pdf', size: pdf.length },
		]);
	}
	expect(sim.messages().map((m) => m.to[0])).toEqual(['+14155550123', '+14155550124']);
});

test('a refused item sends nothing', async () => {
	const before = sim.stats().smsAccepted;
	await expect(sendSms(ctx({ from: SIM_DEFAULTS.a2pNumber, to: '+14155550123', text: 'x', attachments: 'a_png', options: {} }, { a_png: Buffer.from('x') }), client, 0)).rejects.toThrow(/toll-free/);
	expect(sim.stats().smsAccepted).toBe(before);
});
