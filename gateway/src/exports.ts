import type { ApolloServer } from '@apollo/server';
import type { Request, Response } from 'express';

/**
 * Downloads of the cooperation meeting's comparison through the gateway, with the caller's token: the same
 * GraphQL query the API answers, rendered as CSV (for spreadsheets) or as a printable HTML handout (a table and a
 * chart per standard). Suppressed values are written as "suppressed", never as 0.
 */
export const COMPARISON_QUERY = `query Comparison($districtId: ID!, $period: String!) {
  districtComparison(districtId: $districtId, period: $period) {
    period
    district { name }
    standards { metric title target direction }
    municipalities {
      municipality { name ags }
      provider { name }
      caseMetrics { metric value suppressed }
      referralMetrics { metric value suppressed }
      standardResults { metric met suppressed }
    }
    caseDistribution { metric median lowerQuartile upperQuartile }
    referralDistribution { metric median lowerQuartile upperQuartile }
  }
}`;

interface Figure {
  metric: string;
  value: number | null;
  suppressed: boolean;
}
interface Distribution {
  metric: string;
  median: number | null;
  lowerQuartile: number | null;
  upperQuartile: number | null;
}
export interface Comparison {
  period: string;
  district: { name: string };
  standards: { metric: string; title: string; target: number; direction: string }[];
  municipalities: {
    municipality: { name: string; ags: string };
    provider: { name: string } | null;
    caseMetrics: Figure[];
    referralMetrics: Figure[];
    standardResults: { metric: string; met: boolean | null; suppressed: boolean }[];
  }[];
  caseDistribution: Distribution[];
  referralDistribution: Distribution[];
}

export function metricsOf(comparison: Comparison): string[] {
  const names = new Set<string>();
  for (const row of comparison.municipalities) for (const figure of [...row.caseMetrics, ...row.referralMetrics]) names.add(figure.metric);
  return [...names];
}

function cell(figure: Figure | undefined): string {
  if (!figure) return '';
  if (figure.suppressed) return 'suppressed';
  return figure.value === null ? '' : String(Math.round(figure.value * 10_000) / 10_000);
}

function csvField(value: string): string {
  return /[",;\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One row per municipality, one column per metric, then the district's median and quartiles. */
export function toCsv(comparison: Comparison): string {
  const metrics = metricsOf(comparison);
  const lines = [['municipality', 'ags', 'provider', ...metrics].map(csvField).join(',')];
  for (const row of comparison.municipalities) {
    const figures = [...row.caseMetrics, ...row.referralMetrics];
    lines.push([row.municipality.name, row.municipality.ags, row.provider?.name ?? '', ...metrics.map((m) => cell(figures.find((f) => f.metric === m)))].map(csvField).join(','));
  }
  const distributions = [...comparison.caseDistribution, ...comparison.referralDistribution];
  for (const [label, key] of [
    ['district median', 'median'],
    ['lower quartile', 'lowerQuartile'],
    ['upper quartile', 'upperQuartile'],
  ] as const) {
    const values = metrics.map((m) => {
      const value = distributions.find((d) => d.metric === m)?.[key];
      return value === null || value === undefined ? '' : String(Math.round(value * 10_000) / 10_000);
    });
    lines.push([label, '', '', ...values].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A bar per municipality against the target line; suppressed values are labelled, not drawn as 0. */
function chart(comparison: Comparison, standard: Comparison['standards'][number]): string {
  const metric = standard.metric.toUpperCase();
  const rows = comparison.municipalities.map((row) => ({ name: row.municipality.name, figure: [...row.caseMetrics, ...row.referralMetrics].find((f) => f.metric === metric) }));
  const max = Math.max(Number(standard.target), ...rows.map((r) => r.figure?.value ?? 0), 1e-9);
  const barHeight = 14;
  const width = 520;
  const labelWidth = 180;
  const scale = (value: number) => ((width - labelWidth - 60) * value) / max;
  const bars = rows
    .map((row, i) => {
      const y = i * (barHeight + 4);
      const label = `<text x="0" y="${y + 11}" font-size="11">${escapeHtml(row.name)}</text>`;
      if (!row.figure || row.figure.suppressed || row.figure.value === null) {
        return `${label}<text x="${labelWidth}" y="${y + 11}" font-size="11" fill="#666">${row.figure?.suppressed ? 'suppressed' : 'no data'}</text>`;
      }
      return `${label}<rect x="${labelWidth}" y="${y}" width="${scale(row.figure.value)}" height="${barHeight}" fill="#2b6cb0"/><text x="${labelWidth + scale(row.figure.value) + 4}" y="${y + 11}" font-size="11">${Math.round(row.figure.value * 1000) / 1000}</text>`;
    })
    .join('');
  const height = rows.length * (barHeight + 4);
  const targetX = labelWidth + scale(Number(standard.target));
  return `<svg role="img" aria-label="${escapeHtml(standard.title)}" width="${width}" height="${height + 10}" xmlns="http://www.w3.org/2000/svg">${bars}<line x1="${targetX}" y1="0" x2="${targetX}" y2="${height}" stroke="#c53030" stroke-dasharray="4"/></svg>`;
}

/** A printable handout: the full table, then a chart per standard. */
export function toHtml(comparison: Comparison): string {
  const metrics = metricsOf(comparison);
  const header = `<tr><th>Gemeinde</th><th>AGS</th><th>Träger</th>${metrics.map((m) => `<th>${escapeHtml(m)}</th>`).join('')}</tr>`;
  const rows = comparison.municipalities
    .map((row) => {
      const figures = [...row.caseMetrics, ...row.referralMetrics];
      return `<tr><td>${escapeHtml(row.municipality.name)}</td><td>${row.municipality.ags}</td><td>${escapeHtml(row.provider?.name ?? '')}</td>${metrics
        .map((m) => `<td>${escapeHtml(cell(figures.find((f) => f.metric === m)))}</td>`)
        .join('')}</tr>`;
    })
    .join('\n');
  const sections = comparison.standards
    .map((standard) => `<section><h2>${escapeHtml(standard.title)}</h2><p>Ziel: ${standard.direction === 'AT_LEAST' ? '≥' : '≤'} ${standard.target}</p>${chart(comparison, standard)}</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Vergleich ${escapeHtml(comparison.district.name)} ${escapeHtml(comparison.period)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #999;padding:2px 4px}
section{page-break-inside:avoid;margin-top:2em}@media print{body{margin:0}}</style></head>
<body><h1>Kooperationstreffen: ${escapeHtml(comparison.district.name)}, Zeitraum ${escapeHtml(comparison.period)}</h1>
<p>Werte unter der Mindestfallzahl sind unterdrückt ("suppressed"), nie als 0 dargestellt.</p>
<table>${header}\n${rows}</table>
${sections}
</body></html>
`;
}

/** Express handler: runs the comparison query as the caller and sends it as CSV or HTML. */
export function comparisonExport(apollo: ApolloServer<never>, format: 'csv' | 'html', contextFor: (req: Request, res: Response) => Promise<unknown>) {
  return async (req: Request, res: Response) => {
    const districtId = String(req.query.districtId ?? '');
    const period = String(req.query.period ?? '');
    if (!districtId || !period) {
      res.status(400).json({ error: 'Give districtId and period, e.g. ?districtId=<id>&period=2026-T3' });
      return;
    }
    let contextValue: unknown;
    try {
      contextValue = await contextFor(req, res);
    } catch (error) {
      res.status(401).json({ error: error instanceof Error ? error.message : 'Authentication failed' });
      return;
    }
    const response = await apollo.executeOperation({ query: COMPARISON_QUERY, variables: { districtId, period } }, { contextValue: contextValue as never });
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    const data = result?.data as { districtComparison?: Comparison } | undefined;
    if (!data?.districtComparison || result?.errors?.length) {
      const error = result?.errors?.[0];
      const code = String(error?.extensions?.code ?? '');
      res.status(code === 'UNAUTHENTICATED' ? 401 : code === 'FORBIDDEN' ? 403 : code === 'BAD_USER_INPUT' ? 400 : 502).json({ errors: result?.errors });
      return;
    }
    const comparison = data.districtComparison;
    const name = `comparison-${period}.${format}`;
    res.setHeader('content-disposition', `attachment; filename="${name}"`);
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(toCsv(comparison));
    else res.type('text/html; charset=utf-8').send(toHtml(comparison));
  };
}
