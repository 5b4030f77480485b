/**
 * JSON with repeated keys. `JSON.parse` keeps the last of `{"text":"pay $1","text":"pay $1000"}` without a
 * word; a form body with `text=a&text=b` gives both. So that both reach the same repeated-parameter policy,
 * this reads already-validated JSON and turns a key given twice into a list of its values.
 */
import type { Params } from './parse-body';


class Reader {
	private i = 0;
	constructor(
		private readonly text: string,
		private readonly maxDepth: number,
	) {}

	read(): unknown {
		const value = this.value(0);
		return value;
	}

	private ws(): void {
		while (this.i < this.text.length && ' \t\n\r'.includes(this.text[this.i])) this.i++;
	}

	private value(depth: number): unknown {
		if (depth > this.maxDepth) throw new Error('the body is nested too deeply');
		this.ws();
		const c = this.text[this.i];
		if (c === '{') return this.object(depth);
		if (c === '[') return this.array(depth);
		if (c === '"') return this.string();
		const m = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.i, this.i + 400));
		if (!m) throw new Error('malformed JSON');
		this.i += m[1].length;
		return JSON.parse(m[1]) as unknown;
	}

	private string(): string {
		const start = this.i;
		this.i++;
		while (this.text[this.i] !== '"') this.i += this.text[this.i] === '\\' ? 2 : 1;
		this.i++;
		return JSON.parse(this.text.slice(start, this.i)) as string;
	}

	private array(depth: number): unknown[] {
		this.i++;
		const out: unknown[] = [];
		this.ws();
		if (this.text[this.i] === ']') {
			this.i++;
			return out;
		}
		for (;;) {
			out.push(this.value(depth + 1));
			this.ws();
			if (this.text[this.i++] === ']') return out;
		}
	}

	private object(depth: number): Params {
		this.i++;
		const out: Params = {};
		const repeated = new Set<string>();
		this.ws();
		if (this.text[this.i] === '}') {
			this.i++;
			return out;
		}
		for (;;) {
			this.ws();
			const key = this.string();
			this.ws();
			this.i++; // ':'
			const value = this.value(depth + 1);
			if (!Object.prototype.hasOwnProperty.call(out, key)) out[key] = value;
			else {
				const list = repeated.has(key) ? (out[key] as unknown[]) : [out[key]];
				repeated.add(key);
				list.push(value);
				out[key] = list;
			}
			this.ws();
			if (this.text[this.i++] === '}') return out;
		}
	}
}

/** Parses JSON that `JSON.parse` has accepted; repeated keys become lists. Throws past `maxDepth`. */
export function parseJsonWithRepeatedKeys(text: string, maxDepth: number): unknown {
	return new Reader(text, maxDepth).read();
}
