import { AuthConfig, ConfigReader, env, envInt, loadAuthConfig, loadGatewaySecret, readCommonSettings } from '@integration-graph/common';
import { SUBGRAPHS, SubgraphName } from './compose';
import { loadTrustedDocumentsConfig, TrustedDocumentsConfig } from './trusted-documents';

/**
 * What one request may ask for (docs/operations.md, "Request limits and rate limits"). 0 turns a GraphQL limit
 * off. The defaults let every operation of the project pass with a margin (measured over every document in the
 * tests, the bench, the exports and the docs; gateway/test/limits.test.ts keeps the heaviest in check): the deepest
 * has depth 8, the costliest 373500 (`referrals(limit: 500)` with each referral's history), the most aliases 5, the
 * most directives 1, the longest (the data-subject export) 273 tokens.
 */
export interface RequestLimits {
  /** GRAPHQL_MAX_DEPTH: nesting of selections (fragments do not add a level). */
  maxDepth: number;
  /** GRAPHQL_MAX_COST: the estimated cost, list sizes counted (see limits.ts). */
  maxCost: number;
  /** GRAPHQL_DEFAULT_LIST_SIZE: items assumed for a list field without first/last/limit. */
  defaultListSize: number;
  /** GRAPHQL_MAX_ALIASES */
  maxAliases: number;
  /** GRAPHQL_MAX_DIRECTIVES */
  maxDirectives: number;
  /** GRAPHQL_MAX_TOKENS: lexical tokens of the document (parsing stops at the limit). */
  maxTokens: number;
  /** GRAPHQL_MAX_BODY_BYTES: the JSON body of POST /graphql; HTTP 413 above. */
  maxBodyBytes: number;
}

/** Requests per minute; 0 turns a limit off. In memory, per gateway process (docs/operations.md). */
export interface RateLimits {
  userPerMinute: number;
  organizationPerMinute: number;
  anonymousPerMinute: number;
}

export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  maxDepth: 15,
  maxCost: 1_000_000,
  defaultListSize: 10,
  maxAliases: 30,
  maxDirectives: 50,
  maxTokens: 5_000,
  maxBodyBytes: 1_048_576,
};

export const DEFAULT_RATE_LIMITS: RateLimits = {
  userPerMinute: 1200,
  organizationPerMinute: 6000,
  anonymousPerMinute: 1200,
};

export interface GatewayConfig {
  host: string;
  port: number;
  subgraphUrls: Record<SubgraphName, string>;
  subgraphTimeoutMs: number;
  auth: AuthConfig;
  /** GATEWAY_SHARED_SECRET, sent to every subgraph in x-gateway-secret (without it, public requests are refused there). */
  gatewaySecret?: string;
  production: boolean;
  /** METRICS_TOKEN: when set, GET /metrics needs "Authorization: Bearer <token>". */
  metricsToken?: string;
  limits: RequestLimits;
  rateLimits: RateLimits;
  /** TRUST_PROXY: Express's "trust proxy" (hops or addresses), for the client IP behind a load balancer. */
  trustProxy?: number | string;
  /**
   * TRUSTED_DOCUMENTS, TRUSTED_DOCUMENTS_MANIFEST: who may run only the manifest's operations (trusted-documents.ts).
   * Absent: off, with the client SDK's manifest if it is there.
   */
  trustedDocuments?: TrustedDocumentsConfig;
}

export function loadRequestLimits(): RequestLimits {
  const limits: RequestLimits = {
    maxDepth: envInt('GRAPHQL_MAX_DEPTH', DEFAULT_REQUEST_LIMITS.maxDepth),
    maxCost: envInt('GRAPHQL_MAX_COST', DEFAULT_REQUEST_LIMITS.maxCost),
    defaultListSize: envInt('GRAPHQL_DEFAULT_LIST_SIZE', DEFAULT_REQUEST_LIMITS.defaultListSize),
    maxAliases: envInt('GRAPHQL_MAX_ALIASES', DEFAULT_REQUEST_LIMITS.maxAliases),
    maxDirectives: envInt('GRAPHQL_MAX_DIRECTIVES', DEFAULT_REQUEST_LIMITS.maxDirectives),
    maxTokens: envInt('GRAPHQL_MAX_TOKENS', DEFAULT_REQUEST_LIMITS.maxTokens),
    maxBodyBytes: envInt('GRAPHQL_MAX_BODY_BYTES', DEFAULT_REQUEST_LIMITS.maxBodyBytes),
  };
  if (limits.maxBodyBytes < 1) throw new Error('GRAPHQL_MAX_BODY_BYTES must be at least 1 (bytes of a request body; it cannot be turned off)');
  if (limits.defaultListSize < 1) throw new Error('GRAPHQL_DEFAULT_LIST_SIZE must be at least 1');
  return limits;
}

export function loadRateLimits(): RateLimits {
  return {
    userPerMinute: envInt('RATE_LIMIT_USER_PER_MINUTE', DEFAULT_RATE_LIMITS.userPerMinute),
    organizationPerMinute: envInt('RATE_LIMIT_ORGANIZATION_PER_MINUTE', DEFAULT_RATE_LIMITS.organizationPerMinute),
    anonymousPerMinute: envInt('RATE_LIMIT_ANONYMOUS_PER_MINUTE', DEFAULT_RATE_LIMITS.anonymousPerMinute),
  };
}

function loadTrustProxy(): number | string | undefined {
  const raw = env('TRUST_PROXY');
  if (raw === undefined) return undefined;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

/**
 * Everything the gateway reads, checked at once: a wrong or missing setting stops the start with a
 * ConfigurationError that names each problem (PORT, URLs, limits, auth, secret, ...).
 */
export function loadGatewayConfig(): GatewayConfig {
  const r = new ConfigReader();
  const common = readCommonSettings(r);
  const subgraphUrls = Object.fromEntries(
    SUBGRAPHS.map((subgraph) => [subgraph.name, r.url(subgraph.urlEnv, subgraph.defaultUrl)]),
  ) as Record<SubgraphName, string>;
  const config: GatewayConfig = {
    host: r.string('HOST', '127.0.0.1'),
    port: r.port('PORT', 4000),
    subgraphUrls,
    subgraphTimeoutMs: r.int('SUBGRAPH_TIMEOUT_MS', 10_000, { min: 1 }),
    auth: loadAuthConfig(r),
    gatewaySecret: loadGatewaySecret(r),
    production: common.production,
    metricsToken: common.metricsToken,
    limits: r.collect(loadRequestLimits, DEFAULT_REQUEST_LIMITS),
    rateLimits: r.collect(loadRateLimits, DEFAULT_RATE_LIMITS),
    trustProxy: r.collect(loadTrustProxy, undefined),
    trustedDocuments: loadTrustedDocumentsConfig(r, common.production),
  };
  r.check();
  return config;
}
