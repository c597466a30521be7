import { useEffect, useMemo, useState } from 'react';
import { I18nContext, translator, UiLanguage, useI18n } from './i18n';
import { Caseload, CaseDetail } from './pages/Cases';
import { Dashboard } from './pages/Dashboard';
import { Directory } from './pages/Directory';
import { Inbox } from './pages/Inbox';
import { homeOf, Login } from './pages/Login';
import { SessionProvider, useSession } from './session';

/** Hash routes: #/dashboard, #/inbox, #/cases, #/cases/<id>, #/directory, #/login. */
function useRoute(): string[] {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return hash.replace(/^#\/?/, '').split('/').filter(Boolean);
}

const NAV: { path: string; key: 'navDashboard' | 'navInbox' | 'navCases' | 'navDirectory'; roles?: string[] }[] = [
  { path: 'dashboard', key: 'navDashboard', roles: ['coordinator', 'lead', 'caseworker', 'org_admin', 'municipal_app'] },
  { path: 'inbox', key: 'navInbox', roles: ['partner'] },
  { path: 'cases', key: 'navCases', roles: ['caseworker', 'lead'] },
  { path: 'directory', key: 'navDirectory' },
];

function Shell() {
  const { t, language, setLanguage } = useI18n();
  const session = useSession();
  const route = useRoute();
  const page = route[0] ?? '';
  useEffect(() => {
    if (!page) window.location.hash = session.claims ? homeOf(session.claims.roles) : '#/directory';
  }, [page, session.claims]);
  useEffect(() => {
    document.documentElement.lang = language;
    const title = NAV.find((n) => n.path === page);
    document.title = `${title ? `${t(title.key)} – ` : ''}${t('appTitle')}`;
  }, [language, page, t]);
  const needsLogin = ['dashboard', 'inbox', 'cases'].includes(page) && !session.token;
  return (
    <>
      <a className="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        {t('skipToContent')}
      </a>
      <header className="no-print">
        <p className="brand">{t('appTitle')}</p>
        <nav aria-label="Hauptnavigation / main">
          <ul>
            {NAV.filter((item) => !item.roles || session.hasRole(...item.roles)).map((item) => (
              <li key={item.path}>
                <a href={`#/${item.path}`} aria-current={page === item.path ? 'page' : undefined}>
                  {t(item.key)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <label>
            <span className="visually-hidden">{t('language')}</span>
            <select value={language} onChange={(e) => setLanguage(e.target.value as UiLanguage)} aria-label={t('language')} name="ui-language">
              <option value="de" lang="de">Deutsch</option>
              <option value="en" lang="en">English</option>
            </select>
          </label>
          {session.claims ? (
            <>
              <span className="who" data-user={session.claims.userId}>
                {t('loggedInAs')} {session.claims.name ?? session.claims.userId} ({session.claims.roles.join(', ')})
              </span>
              <button type="button" onClick={() => { session.logout(); window.location.hash = '#/login'; }}>
                {t('logout')}
              </button>
            </>
          ) : (
            <a href="#/login">{t('navLogin')}</a>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {needsLogin ? (
          <p>
            {t('needLogin')} <a href="#/login">{t('navLogin')}</a>
          </p>
        ) : page === 'dashboard' ? (
          <Dashboard />
        ) : page === 'inbox' ? (
          <Inbox />
        ) : page === 'cases' && route[1] ? (
          <CaseDetail id={decodeURIComponent(route[1])} />
        ) : page === 'cases' ? (
          <Caseload />
        ) : page === 'login' ? (
          <Login />
        ) : page === 'directory' ? (
          <Directory />
        ) : null}
      </main>
    </>
  );
}

const LANGUAGE_KEY = 'integration-graph-ui-language';

export function App() {
  const [language, setLanguageState] = useState<UiLanguage>(() => (window.localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'de'));
  const i18n = useMemo(
    () => ({
      language,
      t: translator(language),
      setLanguage: (next: UiLanguage) => {
        window.localStorage.setItem(LANGUAGE_KEY, next);
        setLanguageState(next);
      },
    }),
    [language],
  );
  return (
    <I18nContext.Provider value={i18n}>
      <SessionProvider>
        <Shell />
      </SessionProvider>
    </I18nContext.Provider>
  );
}
