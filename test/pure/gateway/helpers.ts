import { Readable } from 'node:stream';
import { configFromPreset, getPreset, handleGatewayRequest, renderReply, type GatewayConfig, type HandleResult, type RenderedReply } from '../../../lib/gateway';

export interface FakeRequest {
	method?: string;
	query?: string;
	contentType?: string;
	headers?: Record<string, string>;
	body?: string | Buffer;
	ip?: string;
}

export async function callGateway(
	presetId: string,
	req: FakeRequest,
	overrides: Partial<GatewayConfig> = {},
): Promise<{ result: HandleResult; reply: RenderedReply }> {
	const preset = getPreset(presetId);
	if (!preset) throw new Error(`no preset ${presetId}`);
	// Unit tests exercise the pipeline without a caller credential; the open-gateway refusal has its own test.
	const config = configFromPreset(preset, { allowAnyone: true, ...overrides });
	const body = req.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
	const headers: Record<string, string> = { ...(req.headers ?? {}) };
	if (req.contentType) headers['content-type'] = req.contentType;
	if (body.length) headers['content-length'] = String(body.length);
	// Chunked like a socket, so the size limit is exercised while streaming.
	const chunks: Buffer[] = [];
	for (let i = 0; i < body.length; i += 16384) chunks.push(body.subarray(i, i + 16384));
	const result = await handleGatewayRequest(
		config,
		{ method: req.method ?? (body.length ? 'POST' : 'GET'), headers, rawQuery: req.query ?? '', ip: req.ip ?? '127.0.0.1' },
		Readable.from(chunks),
	);
	const reply = renderReply(config.reply, result.ok ? { ok: true, messageId: '123' } : result);
	return { result, reply };
}
