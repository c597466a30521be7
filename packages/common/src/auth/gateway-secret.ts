import { createHash, timingSafeEqual } from 'node:crypto';
import { unauthenticated } from '../errors';

/** The header in which the gateway proves itself to the subgraphs (GATEWAY_SHARED_SECRET). */
export const GATEWAY_SECRET_HEADER = 'x-gateway-secret';

/**
 * Constant-time comparison of a header with the configured secret. Both sides are hashed first, so that neither
 * the comparison's time nor timingSafeEqual's length check tells anything about the secret's length or content.
 */
export function gatewaySecretMatches(expected: string | undefined, header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (!expected || !value) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(value), digest(expected));
}

/**
 * Who may talk to a subgraph at all (issue 7): a caller with a valid bearer token (verified before this check),
 * or the gateway, which proves itself with the shared secret. Everything else is refused with HTTP 401
 * (UNAUTHENTICATED), before any resolver or database access. A secret that is sent but does not match is refused
 * even with a valid token: it is a misconfigured gateway or a guess. Without a configured secret, requests without
 * a valid token are refused whatever they send (deny by default).
 */
export function admitSubgraphCaller(options: { secret: string | undefined; header: string | string[] | undefined; authenticated: boolean }): void {
  const sent = options.header !== undefined && options.header !== '';
  if (sent && !options.secret) {
    throw unauthenticated(
      `This subgraph has no GATEWAY_SHARED_SECRET, so it cannot check ${GATEWAY_SECRET_HEADER}: it answers callers with a valid token only`,
      { badToken: true },
    );
  }
  if (sent && !gatewaySecretMatches(options.secret, options.header)) {
    throw unauthenticated(
      `The ${GATEWAY_SECRET_HEADER} header does not match this subgraph's GATEWAY_SHARED_SECRET: the gateway and the subgraphs must share one secret`,
      { badToken: true },
    );
  }
  if (options.authenticated || sent) return;
  throw unauthenticated(
    'This subgraph answers the gateway and callers with a valid token only: send "Authorization: Bearer <token>", or query the gateway',
    { badToken: true },
  );
}
