/** Shares (0–1) as percent, medians of days as days, counts as whole numbers. */
export function isShare(metric: string): boolean {
  return metric.startsWith('SHARE_') || metric.endsWith('_RATE');
}

export function formatFigure(metric: string, value: number | null | undefined, language: string): string {
  if (value === null || value === undefined) return '–';
  const locale = language === 'en' ? 'en-GB' : 'de-DE';
  if (isShare(metric)) return `${(value * 100).toLocaleString(locale, { maximumFractionDigits: 1 })} %`;
  return value.toLocaleString(locale, { maximumFractionDigits: 1 });
}
