import { createClient, decodeToken, IntegrationGraphClient, TokenClaims } from '@integration-graph/client';
import { createContext, ReactNode, useCallback, useContext, useMemo, useState } from 'react';

const STORAGE_KEY = 'integration-graph-token';

export interface Session {
  token?: string;
  claims: TokenClaims | null;
  /** The SDK client with the session's token (none: public). */
  graph: IntegrationGraphClient;
  login(token: string): boolean;
  logout(): void;
  hasRole(...roles: string[]): boolean;
}

const SessionContext = createContext<Session | null>(null);

/** The gateway serves the console: same origin, /graphql. */
export const GRAPHQL_URL = new URL('/graphql', window.location.origin).toString();

function storedToken(): string | undefined {
  try {
    const token = window.sessionStorage.getItem(STORAGE_KEY) ?? undefined;
    const claims = token ? decodeToken(token) : null;
    if (!claims || (claims.expiresAt && claims.expiresAt.getTime() < Date.now())) return undefined;
    return token;
  } catch {
    return undefined;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  // Kept for the browser tab only (sessionStorage), never in a cookie: the token goes in the Authorization header.
  const [token, setToken] = useState<string | undefined>(storedToken);
  const login = useCallback((next: string) => {
    if (!decodeToken(next)) return false;
    window.sessionStorage.setItem(STORAGE_KEY, next);
    setToken(next);
    return true;
  }, []);
  const logout = useCallback(() => {
    window.sessionStorage.removeItem(STORAGE_KEY);
    setToken(undefined);
  }, []);
  const session = useMemo<Session>(() => {
    const claims = token ? decodeToken(token) : null;
    return {
      token,
      claims,
      graph: createClient({ url: GRAPHQL_URL, token }),
      login,
      logout,
      hasRole: (...roles) => !!claims && claims.roles.some((role) => roles.includes(role)),
    };
  }, [token, login, logout]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
