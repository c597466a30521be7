import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { ClientError, clientErrorCode, fromGraphQLError, networkError, Result } from './errors';
import type { Language } from './generated';
import { sha256Hex } from './sha256';

/** A typed operation: one of the SDK's generated documents (e.g. DistrictComparisonDocument). */
export type TypedDocument<TResult, TVariables> = DocumentTypeDecoration<TResult, TVariables> & { toString(): string };

/** A token, or a function that gives the current one (called for every request; undefined: no token). */
export type TokenSource = string | undefined | (() => string | undefined | Promise<string | undefined>);

export interface ClientOptions {
  /** The gateway's GraphQL URL, e.g. "https://graph.example.org/graphql". */
  url: string;
  /** The caller's token (Authorization: Bearer); none for the public directory. */
  token?: TokenSource;
  /**
   * The language of directory texts: filled in as `$lang` for operations that take one and the caller did not pass,
   * and sent as Accept-Language. Default DE.
   */
  language?: Language;
  /**
   * Send operations by their SHA-256 hash (Apollo's automatic persisted queries: `extensions.persistedQuery`), with
   * the full text only when the gateway asks for it (PERSISTED_QUERY_NOT_FOUND). The gateway knows every operation
   * of this SDK by its hash (the trusted-documents manifest). Default true.
   */
  persisted?: boolean;
  /** A fetch implementation (default the global fetch). */
  fetch?: typeof fetch;
  /** The purpose of reads of personal data, for the audit trail (X-Purpose), e.g. "Hilfeplangespräch". */
  purpose?: string;
  /** More headers for every request. */
  headers?: Record<string, string>;
  /** Milliseconds before a request is given up (NETWORK error). Default 30000. */
  timeoutMs?: number;
}

export interface RequestOptions {
  /** Overrides the client's purpose for this request. */
  purpose?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** Variables of an operation: optional when it has no required ones. */
type VariablesArgument<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables, options?: RequestOptions] : [variables: TVariables, options?: RequestOptions];

export interface IntegrationGraphClient {
  /** Runs one operation; never throws: `{ ok: true, data }` or `{ ok: false, error }`. */
  request<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, ...args: VariablesArgument<TVariables>): Promise<Result<TResult>>;
  /** Downloads an export of the gateway with the caller's token, e.g. exportFile('district-comparison.csv', { districtId, period }). */
  exportFile(name: 'district-comparison.csv' | 'district-comparison.html', params: Record<string, string>, options?: RequestOptions): Promise<Result<{ text: string; contentType: string; fileName: string }>>;
  /** The same client with another token (or none). */
  withToken(token: TokenSource): IntegrationGraphClient;
  /** The same client with another language. */
  withLanguage(language: Language): IntegrationGraphClient;
  readonly options: Readonly<ClientOptions>;
}

const hashes = new Map<string, string>();

/** The SHA-256 hash (hex) under which an operation is persisted: of its exact text. */
export function operationHash(document: { toString(): string }): string {
  const text = document.toString();
  let hash = hashes.get(text);
  if (!hash) {
    hash = sha256Hex(text);
    hashes.set(text, hash);
  }
  return hash;
}

/** The name of the (first) operation in a document. */
export function operationName(document: { toString(): string }): string | undefined {
  return /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(document.toString())?.[1];
}

function takesLanguage(text: string): boolean {
  return /\$lang\s*:/.test(text);
}

const ACCEPT_LANGUAGE: Record<Language, string> = { DE: 'de', DE_SIMPLE: 'de', EN: 'en', AR: 'ar', FA: 'fa', UK: 'uk', TR: 'tr', RU: 'ru' };

interface Answer {
  status: number;
  body?: { data?: unknown; errors?: { message?: unknown; path?: unknown; extensions?: Record<string, unknown> }[] };
  requestId?: string;
  retryAfter?: number;
  failure?: ClientError;
}

/** A client of the Integration Graph's gateway. */
export function createClient(options: ClientOptions): IntegrationGraphClient {
  const settings: ClientOptions = { persisted: true, language: 'DE', timeoutMs: 30_000, ...options };
  const doFetch = settings.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));

  async function headersFor(requestOptions: RequestOptions = {}): Promise<Record<string, string>> {
    const token = typeof settings.token === 'function' ? await settings.token() : settings.token;
    const purpose = requestOptions.purpose ?? settings.purpose;
    return {
      accept: 'application/graphql-response+json, application/json',
      'accept-language': ACCEPT_LANGUAGE[settings.language ?? 'DE'],
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      // Header values are ISO-8859-1; a purpose in other scripts is sent percent-encoded.
      ...(purpose ? { 'x-purpose': /^[\x20-\x7e\u00a0-\u00ff]*$/.test(purpose) ? purpose : encodeURIComponent(purpose) } : {}),
      ...settings.headers,
      ...requestOptions.headers,
    };
  }

  async function post(body: unknown, requestOptions: RequestOptions): Promise<Answer> {
    const timeout = AbortSignal.timeout(settings.timeoutMs ?? 30_000);
    const signal = requestOptions.signal ? anySignal([requestOptions.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await doFetch(settings.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(await headersFor(requestOptions)) },
        body: JSON.stringify(body),
        signal,
      });
    } catch (error) {
      const timedOut = timeout.aborted;
      return { status: 0, failure: networkError(timedOut ? `No answer from ${settings.url} within ${settings.timeoutMs} ms` : `Could not reach ${settings.url}: ${error instanceof Error ? error.message : String(error)}`) };
    }
    const requestId = response.headers.get('x-request-id') ?? undefined;
    const retryAfterHeader = response.headers.get('retry-after');
    const retryAfter = retryAfterHeader && /^\d+$/.test(retryAfterHeader) ? Number(retryAfterHeader) : undefined;
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      return { status: response.status, requestId, failure: networkError(`The answer broke off: ${error instanceof Error ? error.message : String(error)}`, response.status, requestId) };
    }
    try {
      const parsed = JSON.parse(text) as Answer['body'];
      if (parsed && typeof parsed === 'object' && ('data' in parsed || Array.isArray(parsed.errors))) return { status: response.status, body: parsed, requestId, retryAfter };
    } catch {
      // not JSON: below
    }
    const failure = networkError(`HTTP ${response.status} from ${settings.url} without a GraphQL answer`, response.status, requestId);
    if (response.status === 429) Object.assign(failure, { code: 'RATE_LIMITED', retryAfterSeconds: retryAfter });
    return { status: response.status, requestId, failure };
  }

  function toResult<TResult>(answer: Answer): Result<TResult> {
    if (answer.failure) return { ok: false, error: answer.failure, errors: [answer.failure], data: null };
    const errors = (answer.body?.errors ?? []).map((e) => fromGraphQLError(e, answer.status, answer.requestId, answer.retryAfter));
    const data = (answer.body?.data ?? null) as TResult | null;
    if (errors.length === 0 && data !== null && answer.status < 400) return { ok: true, data };
    const first = errors[0] ?? networkError(`HTTP ${answer.status} without data`, answer.status, answer.requestId);
    return { ok: false, error: first, errors: errors.length ? errors : [first], data };
  }

  function isPersistedQueryMiss(answer: Answer): boolean {
    return !!answer.body?.errors?.some((e) => e.extensions?.code === 'PERSISTED_QUERY_NOT_FOUND' || e.extensions?.code === 'PERSISTED_QUERY_NOT_SUPPORTED');
  }

  const client: IntegrationGraphClient = {
    options: settings,
    async request<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, ...args: VariablesArgument<TVariables>): Promise<Result<TResult>> {
      const [givenVariables, requestOptions = {}] = args as [Record<string, unknown> | undefined, RequestOptions | undefined];
      const query = document.toString();
      const variables: Record<string, unknown> = { ...(givenVariables ?? {}) };
      if (takesLanguage(query) && variables.lang === undefined) variables.lang = settings.language ?? 'DE';
      const name = operationName(query);
      const base = { ...(name ? { operationName: name } : {}), variables };
      if (!settings.persisted) return toResult<TResult>(await post({ ...base, query }, requestOptions));
      const extensions = { persistedQuery: { version: 1, sha256Hash: operationHash(query) } };
      const first = await post({ ...base, extensions }, requestOptions);
      if (!isPersistedQueryMiss(first)) return toResult<TResult>(first);
      // The gateway does not know the hash (an operation outside the manifest, in development): send the text once.
      return toResult<TResult>(await post({ ...base, query, extensions }, requestOptions));
    },
    async exportFile(name, params, requestOptions = {}) {
      const url = new URL(`exports/${name}`, settings.url.replace(/\/graphql\/?$/, '/'));
      for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
      let response: Response;
      try {
        response = await doFetch(url.toString(), { headers: await headersFor(requestOptions), signal: requestOptions.signal ?? AbortSignal.timeout(settings.timeoutMs ?? 30_000) });
      } catch (error) {
        const failure = networkError(`Could not reach ${url}: ${error instanceof Error ? error.message : String(error)}`);
        return { ok: false, error: failure, errors: [failure], data: null };
      }
      const requestId = response.headers.get('x-request-id') ?? undefined;
      const text = await response.text().catch(() => '');
      const contentType = response.headers.get('content-type') ?? 'application/octet-stream';
      if (!response.ok) {
        let body: Answer['body'] | { error?: unknown };
        try {
          body = JSON.parse(text) as Answer['body'] | { error?: unknown };
        } catch {
          body = undefined;
        }
        if (body && 'errors' in body && body.errors?.length) return toResult<never>({ status: response.status, body, requestId });
        const message = body && 'error' in body && typeof body.error === 'string' ? body.error : text.trim() || `HTTP ${response.status}`;
        const failure: ClientError = { code: clientErrorCode(undefined, response.status), message, status: response.status, ...(requestId ? { requestId } : {}) };
        return { ok: false, error: failure, errors: [failure], data: null };
      }
      const disposition = response.headers.get('content-disposition') ?? '';
      const fileName = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? name;
      return { ok: true, data: { text, contentType, fileName } };
    },
    withToken: (token) => createClient({ ...settings, token }),
    withLanguage: (language) => createClient({ ...settings, language }),
  };
  return client;
}

/** Aborts when any of the signals does (AbortSignal.any is not in every runtime yet). */
function anySignal(signals: AbortSignal[]): AbortSignal {
  const controller = new AbortController();
  for (const signal of signals) {
    if (signal.aborted) {
      controller.abort(signal.reason);
      break;
    }
    signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
  }
  return controller.signal;
}
