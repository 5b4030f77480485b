/**
 * Reads a request body with our own size limit. The trigger asks n8n not to parse bodies (see the node) so
 * that a malformed body gets a reply in the caller's format rather than n8n's generic 422, and so that a
 * body far larger than any SMS request is cut off early instead of being buffered up to n8n's 16 MB.
 */
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { failure, type GatewayFailure } from './failure';

export type ReadBodyResult = { ok: true; body: Buffer } | { ok: false; failure: GatewayFailure };

/** Past this we stop reading and let the connection close: draining gigabytes helps nobody. */
const DRAIN_LIMIT_FACTOR = 16;

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** Longest a caller may take to send its body: a declared body that never comes must not hold a request open. */
export const DEFAULT_BODY_DEADLINE_MS = 10_000;

export async function readBody(
	stream: Readable,
	headers: Record<string, string | string[] | undefined>,
	maxBytes: number,
	deadlineMs = DEFAULT_BODY_DEADLINE_MS,
): Promise<ReadBodyResult> {
	const declared = Number(headers['content-length']);
	const encoding = String(headers['content-encoding'] ?? 'identity').toLowerCase().trim();
	if (!['identity', '', 'gzip', 'deflate'].includes(encoding)) {
		stream.resume();
		return failure(415, 'unsupported-encoding', `content encoding "${encoding.slice(0, 20)}" is not supported; send the body uncompressed`);
	}
	const tooLarge = () => failure(413, 'payload-too-large', `the request body is larger than ${maxBytes} bytes`);
	if (Number.isFinite(declared) && declared > maxBytes) {
		// Drain a moderately oversized body so the client can read our reply; refuse to drain a huge one.
		if (declared > maxBytes * DRAIN_LIMIT_FACTOR) {
			stream.resume();
			return tooLarge();
		}
		if (await drain(stream, deadlineMs)) return tooLarge();
		// The body never came: say so (408), with why it would not have been accepted anyway.
		return failure(408, 'request-timeout', `the request body did not arrive within ${seconds(deadlineMs)} s (and at ${declared} bytes it is larger than the ${maxBytes} accepted)`);
	}
	const source: Readable = encoding === 'gzip' ? stream.pipe(createGunzip()) : encoding === 'deflate' ? stream.pipe(createInflate()) : stream;
	return await new Promise<ReadBodyResult>((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let done = false;
		const timer = setTimeout(() => {
			finish(failure(408, 'request-timeout', `the request body did not arrive within ${seconds(deadlineMs)} s`));
			// Stop waiting for a body that is not coming; the reply is still written and the socket then closes.
			source.pause();
		}, deadlineMs);
		const finish = (result: ReadBodyResult) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			resolve(result);
		};
		source.on('data', (chunk: Buffer) => {
			if (done) return;
			size += chunk.length;
			if (size > maxBytes) {
				// Later chunks are discarded (done is set) so the reply can still reach a well-behaved client.
				chunks.length = 0;
				finish(tooLarge());
				return;
			}
			chunks.push(chunk);
		});
		source.on('end', () => finish({ ok: true, body: Buffer.concat(chunks) }));
		// A caller that hangs up mid-body must not leave this promise (and n8n's request) pending forever.
		stream.on('close', () => {
			if (!stream.readableEnded) finish(failure(400, 'bad-request', 'the request body was cut off'));
		});
		source.on('error', () => finish(failure(400, 'bad-request', encoding === 'identity' ? 'the request body could not be read' : `the ${encoding} body could not be decompressed`)));
	});
}

/** Reads and discards the body; resolves true when it ended, false when the deadline came first. */
async function drain(stream: Readable, deadlineMs: number): Promise<boolean> {
	return await new Promise<boolean>((resolve) => {
		const timer = setTimeout(() => resolve(false), deadlineMs);
		const done = (ended: boolean) => {
			clearTimeout(timer);
			resolve(ended);
		};
		stream.on('data', () => undefined);
		stream.on('end', () => done(true));
		stream.on('error', () => done(true));
		stream.on('close', () => done(stream.readableEnded));
	});
}
