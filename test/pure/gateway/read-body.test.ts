import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { readBody } from '../../../lib/gateway';

const stream = (buf: Buffer) => Readable.from([buf.subarray(0, 10), buf.subarray(10)]);

describe('reading the body with our own limit', () => {
	it('reads a body within the limit', async () => {
		await expect(readBody(stream(Buffer.from('{"to":"1","text":"x"}')), {}, 100)).resolves.toMatchObject({ ok: true, body: Buffer.from('{"to":"1","text":"x"}') });
	});
	it('refuses by declared length and by streamed length', async () => {
		const big = Buffer.alloc(1000, 'a');
		await expect(readBody(stream(big), { 'content-length': '1000' }, 100)).resolves.toMatchObject({ ok: false, failure: { status: 413 } });
		await expect(readBody(stream(big), {}, 100)).resolves.toMatchObject({ ok: false, failure: { status: 413 } });
	});
	it('inflates gzip, and the limit applies to the inflated size (zip bombs)', async () => {
		const text = Buffer.from('to=1&text=hello');
		await expect(readBody(stream(gzipSync(text)), { 'content-encoding': 'gzip' }, 100)).resolves.toMatchObject({ ok: true, body: text });
		const bomb = gzipSync(Buffer.alloc(1_000_000, 0));
		await expect(readBody(stream(bomb), { 'content-encoding': 'gzip' }, 64 * 1024)).resolves.toMatchObject({ ok: false, failure: { status: 413 } });
		await expect(readBody(stream(Buffer.from('not gzip at all')), { 'content-encoding': 'gzip' }, 100)).resolves.toMatchObject({ ok: false, failure: { status: 400 } });
	});
});

describe('a caller hanging up mid-body', () => {
	it('ends with a refusal instead of waiting forever', async () => {
		const stream = new Readable({ read() {} });
		stream.push(Buffer.from('{"to":"+1650'));
		const pending = readBody(stream, { 'content-length': '100' }, 1000);
		setImmediate(() => stream.destroy());
		await expect(pending).resolves.toMatchObject({ ok: false, failure: { status: 400, reason: expect.stringContaining('cut off') } });
	});
});
