/** Prints the benchmark table and writes the JSON result and the README charts. */
import fs from 'node:fs';
import path from 'node:path';
import { barChart, lineChart } from './chart';
import type { LoadResult } from './load';

export interface TargetRow {
	key: string;
	label: string;
	/** Concurrency → result. */
	levels: Record<number, LoadResult>;
}

function pad(text: string | number, width: number): string {
	const s = String(text);
	return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

export function latencyTable(rows: TargetRow[], levels: number[]): string {
	const header = ['target'.padEnd(44), ...levels.flatMap((c) => [pad(`c=${c} p50`, 10), pad('p99', 8), pad('req/s', 8), pad('fail', 5)])].join(' ');
	const lines = [header, '-'.repeat(header.length)];
	for (const row of rows) {
		const cells = levels.flatMap((c) => {
			const r = row.levels[c];
			return r ? [pad(r.p50, 10), pad(r.p99, 8), pad(r.throughput, 8), pad(r.failed, 5)] : [pad('-', 10), pad('-', 8), pad('-', 8), pad('-', 5)];
		});
		lines.push([`${row.key}) ${row.label}`.slice(0, 44).padEnd(44), ...cells].join(' '));
	}
	return lines.join('\n');
}

export function writeResults(dir: string, stamp: string, result: Record<string, unknown>): string {
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${stamp}.json`);
	fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
	return file;
}

export function writeCharts(dir: string, stamp: string, rows: TargetRow[], levels: number[], memory: Array<[number, number]>, setting: string): string[] {
	const groups = levels.map((c) => `c=${c}`);
	const svg = barChart(
		`One SMS per request: n8n vs. alternatives (${setting})`,
		[
			{ title: 'p50 latency (lower is better)', unit: 'ms', groups, series: rows.map((r) => ({ name: r.label, values: levels.map((c) => r.levels[c]?.p50 ?? NaN) })) },
			{ title: 'Throughput (higher is better)', unit: 'SMS/s', groups, series: rows.map((r) => ({ name: r.label, values: levels.map((c) => r.levels[c]?.throughput ?? NaN) })) },
		],
		rows.map((r) => `${r.key}) ${r.label}`),
	);
	const files = [path.join(dir, `${stamp}-latency.svg`), path.join(dir, 'latest-latency.svg')];
	for (const f of files) fs.writeFileSync(f, svg);
	if (memory.length) {
		const mem = lineChart('n8n resident memory while sending SMS through the ManageEngine template', 'SMS sent', 'RSS (MB)', memory);
		for (const f of [path.join(dir, `${stamp}-memory.svg`), path.join(dir, 'latest-memory.svg')]) {
			fs.writeFileSync(f, mem);
			files.push(f);
		}
	}
	return files;
}
