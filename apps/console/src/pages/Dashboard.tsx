import {
  DistrictComparisonDocument,
  DistrictComparisonQuery,
  DistrictsDocument,
  recentPeriods,
  type ClientError,
} from '@integration-graph/client';
import { useMemo, useState } from 'react';
import { ErrorMessage, Loading, useRequest } from '../components/common';
import { formatFigure } from '../components/figures';
import { StandardChart } from '../components/StandardChart';
import { METRIC_LABELS, useI18n } from '../i18n';
import { useSession } from '../session';

type Comparison = DistrictComparisonQuery['districtComparison'];
type Row = Comparison['municipalities'][number];
type Figure = Row['caseMetrics'][number];

function figureOf(row: Row, metric: string): Figure | undefined {
  return row.caseMetrics.find((f) => f.metric === metric) ?? row.referralMetrics.find((f) => f.metric === metric);
}

function medianOf(comparison: Comparison, metric: string): number | null | undefined {
  return (comparison.caseDistribution.find((d) => d.metric === metric) ?? comparison.referralDistribution.find((d) => d.metric === metric))?.median;
}

/** Downloads text as a file (the exports come with the caller's token, so not as a plain link). */
function download(text: string, type: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

type SortKey = 'name' | 'value';

/** A sortable table of one figure per municipality, with the trend over the previous periods and the standard's verdict. */
function FigureTable({ comparison, metric, standardId, caption }: { comparison: Comparison; metric: string; standardId?: string; caption: string }) {
  const { t, language } = useI18n();
  const [sort, setSort] = useState<{ key: SortKey; ascending: boolean }>({ key: 'name', ascending: true });
  const rows = useMemo(() => {
    const list = comparison.municipalities.map((row) => ({ row, figure: figureOf(row, metric) }));
    const direction = sort.ascending ? 1 : -1;
    return list.sort((a, b) => {
      if (sort.key === 'name') return direction * a.row.municipality.name.localeCompare(b.row.municipality.name, 'de');
      const av = a.figure?.value ?? null;
      const bv = b.figure?.value ?? null;
      if (av === null && bv === null) return a.row.municipality.name.localeCompare(b.row.municipality.name, 'de');
      if (av === null) return 1; // suppressed and missing values last, whatever the direction
      if (bv === null) return -1;
      return direction * (av - bv);
    });
  }, [comparison, metric, sort]);
  const trendPeriods = rows.find((r) => r.figure)?.figure?.trend.map((p) => p.period) ?? [];
  const header = (key: SortKey, label: string) => {
    const active = sort.key === key;
    return (
      <th scope="col" aria-sort={active ? (sort.ascending ? 'ascending' : 'descending') : 'none'}>
        <button type="button" className="sort" onClick={() => setSort({ key, ascending: active ? !sort.ascending : true })}>
          {label} <span aria-hidden="true">{active ? (sort.ascending ? '▲' : '▼') : '↕'}</span>
          <span className="visually-hidden">{`, ${t('sortBy')} ${label}`}</span>
        </button>
      </th>
    );
  };
  const median = medianOf(comparison, metric);
  return (
    <table className="figures" data-table-metric={metric} data-standard-id={standardId ?? ''}>
      <caption>
        {caption}
        {median !== undefined ? ` — ${t('districtMedian')}: ${median === null ? t('suppressed') : formatFigure(metric, median, language)}` : ''}
      </caption>
      <thead>
        <tr>
          {header('name', t('municipality'))}
          <th scope="col">{t('provider')}</th>
          {header('value', `${t('value')} ${comparison.period}`)}
          {trendPeriods.map((period) => (
            <th scope="col" key={period}>
              {t('previousPeriods')}: {period}
            </th>
          ))}
          {standardId ? <th scope="col">{t('standards')}</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map(({ row, figure }) => {
          const result = standardId ? row.standardResults.find((r) => r.standard.id === standardId) : undefined;
          return (
            <tr key={row.municipalityId} data-municipality={row.municipality.name} data-ags={row.municipality.ags} data-value={figure?.suppressed ? 'suppressed' : figure?.value ?? ''}>
              <th scope="row">{row.municipality.name}</th>
              <td>{row.provider?.name ?? '–'}</td>
              <td className="number">{figure?.suppressed ? <span className="suppressed">{t('suppressedExplained')}</span> : figure?.value === null || !figure ? t('noData') : formatFigure(metric, figure.value, language)}</td>
              {trendPeriods.map((period) => {
                const point = figure?.trend.find((p) => p.period === period);
                return (
                  <td className="number" key={period}>
                    {point?.suppressed ? <span className="suppressed">{t('suppressed')}</span> : formatFigure(metric, point?.value, language)}
                  </td>
                );
              })}
              {standardId ? (
                <td data-met={result?.met === null || result?.met === undefined ? '' : String(result.met)}>
                  {result?.met === true ? <span className="met">✓ {t('met')}</span> : result?.met === false ? <span className="not-met">✗ {t('notMet')}</span> : t('notJudged')}
                </td>
              ) : null}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function Dashboard() {
  const { t, language } = useI18n();
  const { graph, claims } = useSession();
  const periods = useMemo(() => recentPeriods(6), []);
  const districts = useRequest(() => graph.request(DistrictsDocument), [graph]);
  const districtList = districts.result?.ok ? districts.result.data.organizations.edges.map((e) => e.node) : [];
  const [chosen, setChosen] = useState<{ districtId?: string; period: string }>({ period: periods[0] });
  const districtId = chosen.districtId ?? (districtList.find((d) => d.id === claims?.organizationId)?.id ?? districtList.find((d) => d.name === 'Ortenaukreis')?.id ?? districtList[0]?.id);
  const comparison = useRequest(districtId ? () => graph.request(DistrictComparisonDocument, { districtId, period: chosen.period }) : null, [graph, districtId, chosen.period]);
  const [allMetric, setAllMetric] = useState('ACTIVE_CASES');
  const [exportError, setExportError] = useState<ClientError | null>(null);
  const data = comparison.result?.ok ? comparison.result.data.districtComparison : null;
  const labels = METRIC_LABELS[language];

  const exportFile = async (format: 'csv' | 'html') => {
    if (!districtId) return;
    setExportError(null);
    const file = await graph.exportFile(`district-comparison.${format}`, { districtId, period: chosen.period });
    if (!file.ok) return setExportError(file.error);
    if (format === 'csv') download(file.data.text, 'text/csv;charset=utf-8', file.data.fileName);
    else window.open(URL.createObjectURL(new Blob([file.data.text], { type: 'text/html;charset=utf-8' })), '_blank', 'noopener');
  };

  const metrics = data ? [...new Set(data.municipalities.flatMap((row) => [...row.caseMetrics, ...row.referralMetrics].map((f) => f.metric)))] : [];

  return (
    <div className="dashboard">
      <h1>{t('dashboardTitle')}</h1>
      <form className="toolbar no-print" onSubmit={(event) => event.preventDefault()}>
        <label>
          {t('district')}
          <select value={districtId ?? ''} onChange={(event) => setChosen({ ...chosen, districtId: event.target.value })} name="district">
            {districtList.map((district) => (
              <option key={district.id} value={district.id}>
                {district.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('period')}
          <select value={chosen.period} onChange={(event) => setChosen({ ...chosen, period: event.target.value })} name="period">
            {periods.map((period) => (
              <option key={period} value={period}>
                {period}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => exportFile('csv')} disabled={!data}>
          {t('downloadCsv')}
        </button>
        <button type="button" onClick={() => window.print()} disabled={!data}>
          {t('printView')}
        </button>
        <button type="button" onClick={() => exportFile('html')} disabled={!data}>
          {t('handout')}
        </button>
      </form>
      <ErrorMessage error={exportError} />
      {districts.result && !districts.result.ok ? <ErrorMessage error={districts.result.error} /> : null}
      {comparison.loading ? <Loading /> : null}
      {comparison.result && !comparison.result.ok ? <ErrorMessage error={comparison.result.error} /> : null}
      {data ? (
        <>
          <p className="print-only">
            {data.district.name}, {data.period}
          </p>
          <h2>
            {t('standards')}: {data.district.name}, {data.period}
          </h2>
          {data.standards.length === 0 ? <p>{t('noStandards')}</p> : null}
          {data.standards.map((standard) => {
            const rows = [...data.municipalities]
              .sort((a, b) => a.municipality.name.localeCompare(b.municipality.name, 'de'))
              .map((row) => {
                const figure = figureOf(row, standard.metric);
                return { name: row.municipality.name, value: figure?.value ?? null, suppressed: figure?.suppressed ?? false };
              });
            return (
              <section key={standard.id} className="card standard" aria-labelledby={`standard-${standard.id}`} data-standard-id={standard.id}>
                <h3 id={`standard-${standard.id}`}>{standard.title}</h3>
                <p className="muted">
                  {labels[standard.metric] ?? standard.metric}: {t('target')} {standard.direction === 'AT_LEAST' ? t('atLeast') : t('atMost')}{' '}
                  {formatFigure(standard.metric, standard.target, language)}. {standard.description}
                </p>
                <StandardChart title={standard.title} metric={standard.metric} rows={rows} target={standard.target} median={medianOf(data, standard.metric)} />
                <details open>
                  <summary>{standard.title}: {t('municipalities')}</summary>
                  <FigureTable comparison={data} metric={standard.metric} standardId={standard.id} caption={standard.title} />
                </details>
              </section>
            );
          })}
          <section className="card" aria-labelledby="all-figures">
            <h2 id="all-figures">{t('allFigures')}</h2>
            <label className="no-print">
              {t('metric')}
              <select value={allMetric} onChange={(event) => setAllMetric(event.target.value)} name="metric">
                {metrics.map((metric) => (
                  <option key={metric} value={metric}>
                    {labels[metric] ?? metric}
                  </option>
                ))}
              </select>
            </label>
            <FigureTable comparison={data} metric={allMetric} caption={labels[allMetric] ?? allMetric} />
          </section>
        </>
      ) : null}
    </div>
  );
}
