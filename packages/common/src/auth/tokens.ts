import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, SignJWT } from 'jose';
import { AuthConfig } from '../config';
import { isUuid } from '../errors';
import { readDevJwks, readDevSigningKey, DEV_KEY_ALG } from './keys';
import { isRole, Principal, Role } from './principal';

/** Claim names in our tokens besides the standard `sub`. */
export const ORG_CLAIM = 'org_id';
export const ROLES_CLAIM = 'roles';

export class AuthenticationError extends Error {}

/** Longest subject (sub) accepted: OpenID Connect Core, 2: "It MUST NOT exceed 255 ASCII characters in length". */
export const MAX_SUBJECT_LENGTH = 255;

export type TokenVerifier = (token: string) => Promise<Principal>;

/** Verifies signature, issuer, audience and expiry, then reads the principal from the claims. */
export function createTokenVerifier(config: AuthConfig): TokenVerifier {
  const keySet = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl))
    : createLocalJWKSet(readDevJwks(config.devKeysDir!));
  return async (token) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keySet, { issuer: config.issuer, audience: config.audience }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new AuthenticationError('The token has expired');
      const reason = error instanceof Error ? error.message : String(error);
      throw new AuthenticationError(`The token is not valid: ${reason}`);
    }
    const organizationId = payload[ORG_CLAIM];
    const roles = payload[ROLES_CLAIM];
    if (!payload.sub) throw new AuthenticationError('The token has no subject (sub)');
    // The subject becomes the actor of audit entries and a setting of the request's transaction: at most 255
    // characters (OpenID Connect's limit), no control characters (PostgreSQL refuses NUL; found by test/fuzz.test.ts).
    if (payload.sub.length > MAX_SUBJECT_LENGTH || /[\u0000-\u001f\u007f]/.test(payload.sub)) {
      throw new AuthenticationError(`The token's subject (sub) must be at most ${MAX_SUBJECT_LENGTH} characters without control characters`);
    }
    if (!isUuid(organizationId)) {
      throw new AuthenticationError(`The token's organisation (${ORG_CLAIM}) must be an organisation id (UUID)`);
    }
    if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRole)) {
      throw new AuthenticationError(`The token's ${ROLES_CLAIM} claim must list known roles`);
    }
    return { userId: payload.sub, organizationId, roles: roles as Role[] };
  };
}

export interface IssueTokenOptions {
  devKeysDir: string;
  issuer: string;
  audience: string;
  principal: Principal;
  name?: string;
  expiresIn?: string;
}

/** Signs a development token; production tokens come from the identity provider. */
export async function issueDevToken(options: IssueTokenOptions): Promise<string> {
  const { key, kid } = await readDevSigningKey(options.devKeysDir);
  return new SignJWT({
    [ORG_CLAIM]: options.principal.organizationId,
    [ROLES_CLAIM]: options.principal.roles,
    ...(options.name ? { name: options.name } : {}),
  })
    .setProtectedHeader({ alg: DEV_KEY_ALG, kid })
    .setSubject(options.principal.userId)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(key);
}

export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  if (!match) throw new AuthenticationError('The Authorization header must be "Bearer <token>"');
  return match[1];
}
