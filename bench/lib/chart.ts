/**
 * Hand-written SVG charts for the README: no chart library, no browser, stable output for review in git.
 */

const COLORS = ['#0073ae', '#e8702a', '#7a7a7a', '#3b9c5a', '#a34fa3'];

function esc(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceMax(value: number): number {
	if (!(value > 0)) return 1;
	const magnitude = 10 ** Math.floor(Math.log10(value));
	for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
	return 10 * magnitude;
}

export interface BarGroupPanel {
	title: string;
	unit: string;
	/** Group labels along the x axis (e.g. "c=1"). */
	groups: string[];
	/** One series per target; values[groupIndex]. NaN = not measured. */
	series: Array<{ name: string; values: number[] }>;
}

function panel(p: BarGroupPanel, x0: number, y0: number, width: number, height: number): string {
	const top = 30;
	const bottom = 28;
	const left = 48;
	const plotH = height - top - bottom;
	const plotW = width - left - 10;
	const max = niceMax(Math.max(...p.series.flatMap((s) => s.values.filter(Number.isFinite))));
	const out: string[] = [`<g transform="translate(${x0},${y0})">`];
	out.push(`<text x="${left}" y="16" font-size="13" font-weight="bold">${esc(p.title)}</text>`);
	for (let i = 0; i <= 4; i++) {
		const y = top + plotH - (plotH * i) / 4;
		out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
		out.push(`<text x="${left - 4}" y="${y + 4}" font-size="10" text-anchor="end">${+((max * i) / 4).toFixed(1)}</text>`);
	}
	out.push(`<text x="8" y="${top + plotH / 2}" font-size="10" transform="rotate(-90 8 ${top + plotH / 2})" text-anchor="middle">${esc(p.unit)}</text>`);
	const groupW = plotW / p.groups.length;
	const barW = (groupW * 0.8) / p.series.length;
	p.groups.forEach((g, gi) => {
		const gx = left + gi * groupW + groupW * 0.1;
		p.series.forEach((s, si) => {
			const v = s.values[gi];
			if (!Number.isFinite(v)) return;
			const h = (plotH * v) / max;
			const x = gx + si * barW;
			out.push(`<rect x="${x.toFixed(1)}" y="${(top + plotH - h).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${COLORS[si % COLORS.length]}"><title>${esc(`${s.name} ${g}: ${v} ${p.unit}`)}</title></rect>`);
		});
		out.push(`<text x="${left + gi * groupW + groupW / 2}" y="${top + plotH + 16}" font-size="11" text-anchor="middle">${esc(g)}</text>`);
	});
	out.push('</g>');
	return out.join('\n');
}

export function barChart(title: string, panels: BarGroupPanel[], legend: string[]): string {
	const panelW = 380;
	const panelH = 260;
	const width = panelW * panels.length + 20;
	const legendY = panelH + 40;
	const height = legendY + 18 * Math.ceil(legend.length / 2) + 10;
	const parts = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
		`<rect width="100%" height="100%" fill="#fff"/>`,
		`<text x="10" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`,
		...panels.map((p, i) => panel(p, 10 + i * panelW, 30, panelW, panelH)),
		...legend.map((name, i) => {
			const x = 60 + (i % 2) * 380;
			const y = legendY + Math.floor(i / 2) * 18;
			return `<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/><text x="${x + 18}" y="${y}" font-size="12">${esc(name)}</text>`;
		}),
		'</svg>',
	];
	return parts.join('\n') + '\n';
}

export function lineChart(title: string, xLabel: string, yLabel: string, points: Array<[number, number]>): string {
	const width = 560;
	const height = 260;
	const left = 56;
	const top = 36;
	const plotW = width - left - 20;
	const plotH = height - top - 40;
	const xs = points.map((p) => p[0]);
	const ys = points.map((p) => p[1]).filter(Number.isFinite);
	const xMax = niceMax(Math.max(...xs, 1));
	const yMax = niceMax(Math.max(...ys, 1) * 1.1);
	const px = (x: number) => left + (plotW * x) / xMax;
	const py = (y: number) => top + plotH - (plotH * y) / yMax;
	const out = [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif">`,
		`<rect width="100%" height="100%" fill="#fff"/>`,
		`<text x="10" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`,
	];
	for (let i = 0; i <= 4; i++) {
		const y = py((yMax * i) / 4);
		out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
		out.push(`<text x="${left - 4}" y="${y + 4}" font-size="10" text-anchor="end">${Math.round((yMax * i) / 4)}</text>`);
		const x = px((xMax * i) / 4);
		out.push(`<text x="${x}" y="${top + plotH + 14}" font-size="10" text-anchor="middle">${Math.round((xMax * i) / 4)}</text>`);
	}
	out.push(`<text x="${left + plotW / 2}" y="${height - 6}" font-size="11" text-anchor="middle">${esc(xLabel)}</text>`);
	out.push(`<text x="12" y="${top + plotH / 2}" font-size="11" transform="rotate(-90 12 ${top + plotH / 2})" text-anchor="middle">${esc(yLabel)}</text>`);
	const path = points.filter((p) => Number.isFinite(p[1])).map((p, i) => `${i ? 'L' : 'M'}${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join(' ');
	out.push(`<path d="${path}" fill="none" stroke="${COLORS[0]}" stroke-width="2"/>`);
	out.push('</svg>');
	return out.join('\n') + '\n';
}
