/** A small multipart parser (form-data and mixed) for the simulator's Send MMS endpoint. */

export interface Part {
	headers: Record<string, string>;
	name?: string;
	fileName?: string;
	contentType: string;
	data: Buffer;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
	const match = /^multipart\/(form-data|mixed)\s*;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
	return match ? match[2] ?? match[3] : undefined;
}

/** Splits a multipart body into parts; undefined when it is not well formed. */
export function parseMultipart(body: Buffer, boundary: string): Part[] | undefined {
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: Part[] = [];
	let position = body.indexOf(delimiter);
	if (position < 0) return undefined;
	for (;;) {
		const afterDelimiter = position + delimiter.length;
		if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return parts;
		const headerStart = body.indexOf('\r\n', afterDelimiter) + 2;
		const headerEnd = body.indexOf('\r\n\r\n', headerStart);
		if (headerStart < 2 || headerEnd < 0) return undefined;
		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd);
		if (next < 0) return undefined;
		const headers: Record<string, string> = {};
		for (const line of body.subarray(headerStart, headerEnd).toString('utf8').split('\r\n')) {
			const colon = line.indexOf(':');
			if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const disposition = headers['content-disposition'] ?? '';
		parts.push({
			headers,
			name: /\bname="([^"]*)"/i.exec(disposition)?.[1],
			fileName: /\bfilename="([^"]*)"/i.exec(disposition)?.[1],
			contentType: (headers['content-type'] ?? 'application/octet-stream').split(';')[0].trim().toLowerCase(),
			data: body.subarray(headerEnd + 4, next),
		});
		position = next + 2;
	}
}
