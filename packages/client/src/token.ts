/** What a token says about its caller (read, not verified: the gateway and the subgraphs verify it). */
export interface TokenClaims {
  /** The user (sub). */
  userId: string;
  /** The organisation (org_id). */
  organizationId: string;
  roles: string[];
  /** The person's or app's display name, when the identity provider adds it. */
  name?: string;
  /** Expiry as a Date, if the token has one. */
  expiresAt?: Date;
}

/** Reads a JWT's claims without verifying it (for showing who is logged in); null for anything that is not a JWT. */
export function decodeToken(token: string): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const payload = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    if (typeof payload.sub !== 'string' || typeof payload.org_id !== 'string') return null;
    return {
      userId: payload.sub,
      organizationId: payload.org_id,
      roles: Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [],
      name: typeof payload.name === 'string' ? payload.name : undefined,
      expiresAt: typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : undefined,
    };
  } catch {
    return null;
  }
}
