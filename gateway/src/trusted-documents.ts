import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader, isMunicipalAppOnly, Logger, Principal, REPOSITORY_ROOT } from '@integration-graph/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Trusted documents (persisted operations): which GraphQL operations the gateway runs for whom
 * (docs/security.md, "Trusted documents").
 *
 * - `off`: any operation for anyone (the other rules still apply: authorization, limits).
 * - `municipal-apps` (the default in production): municipal apps (a token with the role municipal_app and no role of
 *   the cooperation) and callers without a token may run only the operations of the trusted-documents manifest
 *   (packages/client/persisted-operations.json: the client SDK's operations, hash → exact text), sent by hash
 *   (`extensions.persistedQuery.sha256Hash`) or as that exact text. The people who work in the cooperation
 *   (caseworkers, leads, partners, coordinators, auditors, org_admins) may also send their own: their partner systems,
 *   reports and the Apollo Sandbox in development.
 * - `all`: everyone only the manifest's operations.
 *
 * In every mode an operation sent by a hash of the manifest is answered without a second round trip (the text is taken
 * from the manifest); other hashes go to Apollo's automatic persisted queries where they are allowed.
 */
export const TRUSTED_DOCUMENTS_MODES = ['off', 'municipal-apps', 'all'] as const;
export type TrustedDocumentsMode = (typeof TRUSTED_DOCUMENTS_MODES)[number];

/** The manifest the gateway reads unless TRUSTED_DOCUMENTS_MANIFEST names another: the client SDK's. */
export const DEFAULT_MANIFEST_FILE = path.join(REPOSITORY_ROOT, 'packages', 'client', 'persisted-operations.json');
const MANIFEST_HINT = 'packages/client/persisted-operations.json, written by npm run manifest -w packages/client';

export interface TrustedDocumentsConfig {
  mode: TrustedDocumentsMode;
  /** The file the manifest was read from. */
  manifestFile: string;
  /** SHA-256 (hex) → exact document text; empty when the mode is off and the file is missing. */
  manifest: ReadonlyMap<string, string>;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Reads a manifest: a JSON object of SHA-256 hash (64 hex digits) → document text, where each hash must be the
 * hash of its text. Throws an Error naming what is wrong.
 */
export function readManifest(file: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : error instanceof Error ? error.message : String(error);
    throw new Error(`cannot read the trusted-documents manifest ${file}: ${reason}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${file} is not a JSON object of hash → document`);
  const manifest = new Map<string, string>();
  for (const [hash, text] of Object.entries(parsed as Record<string, unknown>)) {
    if (!/^[0-9a-f]{64}$/.test(hash) || typeof text !== 'string') throw new Error(`${file}: "${hash.slice(0, 80)}" is not a SHA-256 hash (hex) with a document`);
    if (sha256(text) !== hash) throw new Error(`${file}: the document under ${hash} has another SHA-256 hash (${sha256(text)}); regenerate it (${MANIFEST_HINT})`);
    manifest.set(hash, text);
  }
  return manifest;
}

/**
 * TRUSTED_DOCUMENTS (off | municipal-apps | all; default municipal-apps in production, off otherwise) and
 * TRUSTED_DOCUMENTS_MANIFEST (default packages/client/persisted-operations.json), with the manifest read and checked:
 * a manifest that is missing or broken while the mode is not off is a configuration problem.
 */
export function loadTrustedDocumentsConfig(reader: ConfigReader, production: boolean): TrustedDocumentsConfig {
  const mode = reader.oneOf('TRUSTED_DOCUMENTS', TRUSTED_DOCUMENTS_MODES, production ? 'municipal-apps' : 'off');
  const manifestFile = path.resolve(REPOSITORY_ROOT, reader.string('TRUSTED_DOCUMENTS_MANIFEST', DEFAULT_MANIFEST_FILE));
  let manifest = new Map<string, string>();
  try {
    manifest = readManifest(manifestFile);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // Without enforcement the manifest only saves clients a round trip: a missing one is no reason not to start.
    if (mode !== 'off' || reader.raw('TRUSTED_DOCUMENTS_MANIFEST') !== undefined) {
      reader.problem('TRUSTED_DOCUMENTS_MANIFEST', `${message} (TRUSTED_DOCUMENTS=${mode} needs the manifest of trusted operations, ${MANIFEST_HINT})`);
    }
  }
  return { mode, manifestFile, manifest };
}

/** No enforcement, with the client SDK's manifest if it is there (a gateway configured without these settings). */
export function trustedDocumentsOff(): TrustedDocumentsConfig {
  let manifest = new Map<string, string>();
  try {
    manifest = readManifest(DEFAULT_MANIFEST_FILE);
  } catch {
    // no manifest: hashes go to Apollo's automatic persisted queries
  }
  return { mode: 'off', manifestFile: DEFAULT_MANIFEST_FILE, manifest };
}

/** Whether this caller may run only operations of the manifest. */
export function needsTrustedDocument(mode: TrustedDocumentsMode, principal: Principal | null): boolean {
  if (mode === 'off') return false;
  if (mode === 'all') return true;
  return principal === null || isMunicipalAppOnly(principal);
}

type Authenticate = (req: Request, res: Response) => Promise<{ principal: Principal | null }>;

interface PersistedQueryExtension {
  sha256Hash?: unknown;
}

function persistedHash(extensions: unknown): string | undefined {
  const parsed = typeof extensions === 'string' ? safeJson(extensions) : extensions;
  const hash = (parsed as { persistedQuery?: PersistedQueryExtension } | undefined)?.persistedQuery?.sha256Hash;
  return typeof hash === 'string' ? hash.toLowerCase() : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function refuse(res: Response, code: 'OPERATION_NOT_TRUSTED' | 'PERSISTED_QUERY_NOT_FOUND', message: string, details: Record<string, unknown>): void {
  const requestId = res.locals.requestId as string | undefined;
  res
    // 200 for an unknown hash as Apollo Server answers it (clients of automatic persisted queries then send the text), 400 otherwise
    .status(code === 'PERSISTED_QUERY_NOT_FOUND' ? 200 : 400)
    .type('application/json; charset=utf-8')
    .setHeader('cache-control', 'private, no-cache, must-revalidate');
  res.send(JSON.stringify({ errors: [{ message, extensions: { code, ...details, ...(requestId ? { requestId } : {}) } }] }));
}

/**
 * Express middleware for /graphql, after the body parser and before Apollo Server: takes the text of a known hash
 * from the manifest, and refuses what a caller who needs trusted documents sends outside it. Nothing is executed
 * when it refuses. The caller is authenticated with the gateway's own (cached) verification; a token that does not
 * verify is left to Apollo Server's context (HTTP 401).
 */
export function trustedDocuments(config: TrustedDocumentsConfig, authenticate: Authenticate, logger: Logger): RequestHandler {
  const { manifest, mode } = config;
  return (req: Request, res: Response, next: NextFunction) => {
    const body = req.method === 'POST' && req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : undefined;
    const source = body ?? (req.method === 'GET' ? (req.query as Record<string, unknown>) : undefined);
    if (!source) return next();
    const hash = persistedHash(source.extensions);
    const query = typeof source.query === 'string' ? source.query : undefined;
    // A hash of the manifest stands for its document, for every caller and in every mode.
    if (body && query === undefined && hash && manifest.has(hash)) body.query = manifest.get(hash);
    if (mode === 'off') return next();
    authenticate(req, res).then(
      ({ principal }) => {
        if (!needsTrustedDocument(mode, principal)) return next();
        const who = principal ? 'a municipal app' : 'a caller without a token';
        const whoFor = mode === 'all' ? 'every caller' : 'municipal apps and callers without a token';
        if (query !== undefined) {
          const queryHash = sha256(query);
          if (manifest.has(queryHash)) return next();
          const operationName = typeof source.operationName === 'string' ? source.operationName : /\b(?:query|mutation|subscription)\s+([_A-Za-z]\w*)/.exec(query)?.[1];
          logger.info({ requestId: res.locals.requestId, operationName, sha256Hash: queryHash, user: principal?.userId }, 'operation refused: not a trusted document');
          return refuse(
            res,
            'OPERATION_NOT_TRUSTED',
            `This operation is not a trusted document: in this gateway (TRUSTED_DOCUMENTS=${mode}) ${whoFor} may run only the operations of ` +
              `the client SDK (@integration-graph/client), listed in its manifest ${path.basename(config.manifestFile)}. Use one of them unchanged ` +
              `(sent by its SHA-256 hash or as its exact text), or propose yours in packages/client/operations and regenerate the manifest ` +
              `(npm run codegen -w packages/client). You are ${who}.`,
            { sha256Hash: queryHash, ...(operationName ? { operationName } : {}) },
          );
        }
        if (hash && !manifest.has(hash)) {
          logger.info({ requestId: res.locals.requestId, sha256Hash: hash, user: principal?.userId }, 'operation refused: unknown persisted hash');
          return refuse(
            res,
            'PERSISTED_QUERY_NOT_FOUND',
            `PersistedQueryNotFound: no trusted document has the hash ${hash}. ${whoFor[0].toUpperCase()}${whoFor.slice(1)} may run only the operations of the ` +
              `client SDK (@integration-graph/client) listed in ${path.basename(config.manifestFile)}; update your copy of the SDK, or propose the ` +
              `operation in packages/client/operations (npm run codegen -w packages/client).`,
            { sha256Hash: hash },
          );
        }
        return next();
      },
      // A token that does not verify: Apollo Server's context refuses the request with HTTP 401.
      () => next(),
    );
  };
}
