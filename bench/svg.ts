// A small line-chart writer: axes (linear or log), ticks, labelled series, dashed reference lines.
// Enough for the benchmark's charts without a plotting dependency or network access.

export interface Series {
  name: string;
  color: string;
  points: [number, number][];
  dash?: string;
  markers?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
  xRange: [number, number];
  yRange: [number, number];
  xTicks: number[];
  yTicks: number[];
  series: Series[];
  width?: number;
  height?: number;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const fmt = (v: number) => (Math.abs(v) >= 1000 ? `${v / 1000}k` : `${+v.toPrecision(3)}`);

export function lineChart(o: ChartOptions): string {
  const width = o.width ?? 760;
  const height = o.height ?? 440;
  const m = { left: 70, right: 230, top: 44, bottom: 56 };
  const pw = width - m.left - m.right;
  const ph = height - m.top - m.bottom;
  const scale =
    (log: boolean | undefined, [lo, hi]: [number, number], size: number, flip: boolean) =>
    (v: number) => {
      const f = log
        ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))
        : (v - lo) / (hi - lo);
      return flip ? m.top + size * (1 - f) : m.left + size * f;
    };
  const x = scale(o.xLog, o.xRange, pw, false);
  const y = scale(o.yLog, o.yRange, ph, true);
  const inside = ([a, b]: [number, number]) =>
    a >= o.xRange[0] && a <= o.xRange[1] && b >= o.yRange[0] && b <= o.yRange[1];
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  );
  parts.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  parts.push(`<text x="${m.left}" y="24" font-size="15" font-weight="bold">${esc(o.title)}</text>`);
  for (const t of o.xTicks) {
    parts.push(
      `<line x1="${x(t)}" y1="${m.top}" x2="${x(t)}" y2="${m.top + ph}" stroke="#e5e5e5"/>`,
    );
    parts.push(`<text x="${x(t)}" y="${m.top + ph + 16}" text-anchor="middle">${fmt(t)}</text>`);
  }
  for (const t of o.yTicks) {
    parts.push(
      `<line x1="${m.left}" y1="${y(t)}" x2="${m.left + pw}" y2="${y(t)}" stroke="#e5e5e5"/>`,
    );
    parts.push(`<text x="${m.left - 6}" y="${y(t) + 4}" text-anchor="end">${fmt(t)}</text>`);
  }
  parts.push(
    `<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`,
  );
  parts.push(
    `<text x="${m.left + pw / 2}" y="${height - 16}" text-anchor="middle">${esc(o.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(18 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`,
  );
  o.series.forEach((s, i) => {
    const pts = s.points.filter(inside);
    if (pts.length > 1)
      parts.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""} points="${pts.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(" ")}"/>`,
      );
    if (s.markers)
      for (const [a, b] of pts)
        parts.push(
          `<circle cx="${x(a).toFixed(1)}" cy="${y(b).toFixed(1)}" r="3.5" fill="${s.color}"/>`,
        );
    const ly = m.top + 10 + i * 22;
    const lx = m.left + pw + 14;
    parts.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 24}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/>`,
    );
    parts.push(`<text x="${lx + 30}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}
