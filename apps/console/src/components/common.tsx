import type { ClientError, Result } from '@integration-graph/client';
import { DependencyList, ReactNode, useCallback, useEffect, useState } from 'react';
import { useI18n } from '../i18n';

/** A ClientError for people: code, message, the field concerned and the request id to quote. */
export function ErrorMessage({ error }: { error: ClientError | null | undefined }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <div role="alert" className="error" data-error-code={error.code} data-error-rule={error.rule ?? ''}>
      <strong>
        {t('error')}: {error.code}
        {error.rule ? ` (${error.rule})` : ''}
      </strong>
      <p>{error.message}</p>
      {error.field ? <p>Feld / field: <code>{error.field}</code></p> : null}
      {error.requestId ? (
        <p className="muted">
          {t('requestId')}: <code>{error.requestId}</code>
        </p>
      ) : null}
    </div>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p role="status" aria-live="polite" className="muted">
      {t('loading')}
    </p>
  );
}

/** Runs a request when the dependencies change; the latest answer wins. */
export function useRequest<T>(run: (() => Promise<Result<T>>) | null, deps: DependencyList): { result: Result<T> | null; loading: boolean; reload: () => void } {
  const [result, setResult] = useState<Result<T> | null>(null);
  const [loading, setLoading] = useState(false);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!run) return;
    let current = true;
    setLoading(true);
    run().then((answer) => {
      if (!current) return;
      setResult(answer);
      setLoading(false);
    });
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { result, loading, reload };
}

export function Section({ title, children, id }: { title: string; children: ReactNode; id?: string }) {
  return (
    <section aria-labelledby={id ? `${id}-title` : undefined} className="card">
      <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
      {children}
    </section>
  );
}

export function formatDate(value: string | null | undefined, language: string): string {
  if (!value) return '–';
  const date = value.length === 10 ? new Date(`${value}T12:00:00`) : new Date(value);
  return date.toLocaleDateString(language === 'en' ? 'en-GB' : 'de-DE');
}

export function formatDateTime(value: string | null | undefined, language: string): string {
  if (!value) return '–';
  return new Date(value).toLocaleString(language === 'en' ? 'en-GB' : 'de-DE', { dateStyle: 'medium', timeStyle: 'short' });
}
