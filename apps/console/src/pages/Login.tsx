import { decodeToken } from '@integration-graph/client';
import { FormEvent, useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { useSession } from '../session';

interface DemoUser {
  handle: string;
  name: string;
  roles: string[];
  organization: string;
}

/** Where each role starts. */
export function homeOf(roles: string[]): string {
  if (roles.includes('partner')) return '#/inbox';
  if (roles.includes('caseworker') || roles.includes('lead')) return '#/cases';
  if (roles.some((role) => ['coordinator', 'org_admin', 'municipal_app', 'auditor'].includes(role))) return '#/dashboard';
  return '#/directory';
}

/**
 * Development login: the gateway lists the seeded users and issues their tokens (GET /dev/users, POST /dev/token;
 * not there in production). Elsewhere a token of the identity provider can be pasted.
 */
export function Login() {
  const { t } = useI18n();
  const session = useSession();
  const [users, setUsers] = useState<DemoUser[] | null | undefined>(undefined);
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    fetch('/dev/users')
      .then((response) => (response.ok ? response.json() : null))
      .then((body: { users: DemoUser[] } | null) => setUsers(body?.users ?? null))
      .catch(() => setUsers(null));
  }, []);
  const loginAs = async (handle: string) => {
    setError('');
    const response = await fetch('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle }) });
    const body = (await response.json().catch(() => ({}))) as { token?: string; error?: string };
    if (!body.token) return setError(body.error ?? `HTTP ${response.status}`);
    session.login(body.token);
    window.location.hash = homeOf(decodeToken(body.token)?.roles ?? []);
  };
  const useToken = (event: FormEvent) => {
    event.preventDefault();
    if (!session.login(token.trim())) return setError(t('invalidToken'));
    window.location.hash = homeOf(decodeToken(token.trim())?.roles ?? []);
  };
  return (
    <div className="login">
      <h1>{t('loginTitle')}</h1>
      {users ? (
        <>
          <p>{t('loginIntro')}</p>
          <ul className="users" aria-label={t('loginAs')}>
            {users.map((user) => (
              <li key={user.handle}>
                <button type="button" onClick={() => loginAs(user.handle)} data-handle={user.handle}>
                  <strong>{user.name}</strong>
                  <span>
                    {user.roles.join(', ')} — {user.organization}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : users === null ? (
        <p>{t('loginUnavailable')}</p>
      ) : null}
      <form onSubmit={useToken} className="card form">
        <label>
          {t('tokenLabel')}
          <textarea value={token} onChange={(e) => setToken(e.target.value)} rows={3} name="token" spellCheck={false} />
        </label>
        <button type="submit">{t('useToken')}</button>
      </form>
      {error ? <p role="alert" className="error">{error}</p> : null}
    </div>
  );
}

