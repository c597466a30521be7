import type { Logger, Principal } from '@integration-graph/common';
import type { Request, RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimits } from './config';
import { sendGraphQLError } from './request-scope';

/**
 * Rate limits per user (the token's subject), per organisation (all its users together) and, for callers without a
 * token, per client IP: requests per minute, each request counted once against its user and its organisation. Above
 * a limit: HTTP 429 with Retry-After and a GraphQL error RATE_LIMITED with retryAfterSeconds.
 *
 * The counters live in this process (RateLimiterMemory): with several gateway replicas each counts on its own, so
 * a caller gets up to N times the limit. For a shared count, use one of rate-limiter-flexible's shared stores
 * (RateLimiterRedis, RateLimiterPostgres) here instead (docs/operations.md).
 */

const WINDOW_SECONDS = 60;

interface Limit {
  /** Who is counted, for the message: "user <id>", "organisation <id>", "client <ip>". */
  subject: string;
  key: string;
  perMinute: number;
  variable: string;
  limiter: RateLimiterMemory;
}

function limiter(perMinute: number): RateLimiterMemory | undefined {
  return perMinute > 0 ? new RateLimiterMemory({ points: perMinute, duration: WINDOW_SECONDS }) : undefined;
}

/**
 * Counts the request and refuses it above a limit. `authenticate` gives the caller's verified principal (the same
 * verification the GraphQL context uses, done once per request); a token that does not verify is counted per IP
 * like a caller without one, and refused later with 401.
 */
export function rateLimit(
  limits: RateLimits,
  authenticate: (req: Request, res: Response) => Promise<{ principal: Principal | null }>,
  logger: Logger,
): RequestHandler {
  const users = limiter(limits.userPerMinute);
  const organizations = limiter(limits.organizationPerMinute);
  const anonymous = limiter(limits.anonymousPerMinute);
  if (!users && !organizations && !anonymous) return (_req, _res, next) => next();
  return async (req, res, next) => {
    let principal: Principal | null = null;
    try {
      principal = (await authenticate(req, res)).principal;
    } catch {
      principal = null;
    }
    const applicable: (Limit | undefined)[] = principal
      ? [
          users && { subject: `user ${principal.userId}`, key: principal.userId, perMinute: limits.userPerMinute, variable: 'RATE_LIMIT_USER_PER_MINUTE', limiter: users },
          organizations && {
            subject: `organisation ${principal.organizationId}`,
            key: principal.organizationId,
            perMinute: limits.organizationPerMinute,
            variable: 'RATE_LIMIT_ORGANIZATION_PER_MINUTE',
            limiter: organizations,
          },
        ]
      : [anonymous && { subject: `client ${req.ip}`, key: req.ip ?? 'unknown', perMinute: limits.anonymousPerMinute, variable: 'RATE_LIMIT_ANONYMOUS_PER_MINUTE', limiter: anonymous }];
    const counted = await Promise.all(
      applicable
        .filter((limit): limit is Limit => limit !== undefined)
        .map((limit) =>
          limit.limiter.consume(limit.key).then(
            () => undefined,
            (rejection: unknown) => {
              if (rejection instanceof RateLimiterRes) return { limit, msBeforeNext: rejection.msBeforeNext };
              throw rejection;
            },
          ),
        ),
    );
    const refused = counted.filter((result) => result !== undefined);
    if (!refused.length) {
      next();
      return;
    }
    const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(...refused.map((result) => result.msBeforeNext)) / 1000));
    const { limit } = refused[0];
    logger.warn({ requestId: res.locals.requestId, subject: limit.subject, limit: limit.variable, retryAfterSeconds }, 'request refused: rate limit');
    res.setHeader('Retry-After', String(retryAfterSeconds));
    sendGraphQLError(
      res,
      429,
      `Rate limit exceeded for ${limit.subject}: ${limit.perMinute} requests per ${WINDOW_SECONDS} s; retry after ${retryAfterSeconds} s`,
      { code: 'RATE_LIMITED', retryAfterSeconds, limit: limit.variable },
    );
  };
}
