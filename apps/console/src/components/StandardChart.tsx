import { useId } from 'react';
import { useI18n } from '../i18n';
import { formatFigure } from './figures';

export interface ChartRow {
  name: string;
  value: number | null;
  suppressed: boolean;
}

/**
 * One standard as an SVG chart: a bar per municipality against the target line, the district median marked.
 * Suppressed values are labelled "suppressed", never drawn as 0; missing values "no data".
 */
export function StandardChart({ title, metric, rows, target, median }: { title: string; metric: string; rows: ChartRow[]; target?: number; median?: number | null }) {
  const { t, language } = useI18n();
  const titleId = useId();
  const descId = useId();
  const labelWidth = 190;
  const width = 720;
  const barHeight = 14;
  const rowHeight = 20;
  const top = 24;
  const plotWidth = width - labelWidth - 90;
  const values = rows.flatMap((row) => (row.value === null ? [] : [row.value]));
  const max = Math.max(...values, target ?? 0, median ?? 0, Number.EPSILON) * 1.1;
  const x = (value: number) => labelWidth + (plotWidth * value) / max;
  const height = top + rows.length * rowHeight + 10;
  const shown = rows.filter((row) => row.value !== null).length;
  const suppressed = rows.filter((row) => row.suppressed).length;
  return (
    <svg
      className="chart"
      role="img"
      aria-labelledby={`${titleId} ${descId}`}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      preserveAspectRatio="xMinYMin meet"
      data-chart-metric={metric}
    >
      <title id={titleId}>{`${t('chartOf')}: ${title}`}</title>
      <desc id={descId}>
        {`${t('municipalities')}: ${rows.length}, ${shown} ${t('value')}, ${suppressed} ${t('suppressed')}. ` +
          (target !== undefined ? `${t('target')}: ${formatFigure(metric, target, language)}. ` : '') +
          (median !== undefined && median !== null ? `${t('districtMedian')}: ${formatFigure(metric, median, language)}.` : '')}
      </desc>
      {rows.map((row, i) => {
        const y = top + i * rowHeight;
        return (
          <g key={row.name} data-municipality={row.name}>
            <text x={labelWidth - 6} y={y + barHeight - 3} textAnchor="end" className="chart-label">
              {row.name.length > 28 ? `${row.name.slice(0, 27)}…` : row.name}
            </text>
            {row.value !== null ? (
              <>
                <rect x={labelWidth} y={y} width={Math.max(x(row.value) - labelWidth, 1)} height={barHeight} className="chart-bar" />
                <text x={x(row.value) + 4} y={y + barHeight - 3} className="chart-value">
                  {formatFigure(metric, row.value, language)}
                </text>
              </>
            ) : (
              <text x={labelWidth + 4} y={y + barHeight - 3} className={row.suppressed ? 'chart-suppressed' : 'chart-nodata'}>
                {row.suppressed ? t('suppressed') : t('noData')}
              </text>
            )}
          </g>
        );
      })}
      {target !== undefined ? (
        <g className="chart-target">
          <line x1={x(target)} x2={x(target)} y1={top - 6} y2={height - 6} />
          <text x={x(target)} y={12} textAnchor="middle">{`${t('target')} ${formatFigure(metric, target, language)}`}</text>
        </g>
      ) : null}
      {median !== undefined && median !== null ? (
        <g className="chart-median">
          <line x1={x(median)} x2={x(median)} y1={top - 6} y2={height - 6} />
          <text x={Math.min(x(median) + 4, width - 4)} y={height - 1} textAnchor={x(median) > width - 120 ? 'end' : 'start'}>{`${t('districtMedian')} ${formatFigure(metric, median, language)}`}</text>
        </g>
      ) : null}
    </svg>
  );
}
