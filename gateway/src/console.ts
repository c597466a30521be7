import fs from 'node:fs';
import path from 'node:path';
import {
  AuthConfig,
  ConfigReader,
  DEMO_ORGANIZATIONS,
  DEMO_USERS,
  issueDevToken,
  Logger,
  REPOSITORY_ROOT,
} from '@integration-graph/common';
import express, { Router } from 'express';

/**
 * The web console (apps/console, docs/console.md) as static files at `/`, and in development the login picker's
 * endpoints, which issue tokens of the seeded users with the development signing key:
 *
 *   GET  /dev/users                 the seeded users (handle, name, organisation, roles)
 *   POST /dev/token { handle }      a token of that user, valid 12 hours
 *
 * The login endpoints exist only outside production and only with development keys (AUTH_DEV_KEYS_DIR, which
 * production refuses): in production they are not routed at all (404), whatever else is configured.
 */
export const DEFAULT_CONSOLE_DIR = path.join(REPOSITORY_ROOT, 'apps', 'console', 'dist');

export interface ConsoleSettings {
  /** The built console (index.html and assets), or undefined: not served. */
  dir?: string;
  /** Whether /dev/users and /dev/token answer. */
  devLogin: boolean;
}

/**
 * CONSOLE_DIR (default apps/console/dist; "off": no console) is served when it holds an index.html; the login picker
 * when the gateway is not in production and verifies tokens with development keys.
 */
export function consoleSettings(options: { production: boolean; auth: AuthConfig }, source: NodeJS.ProcessEnv = process.env): ConsoleSettings {
  const configured = new ConfigReader(source).string('CONSOLE_DIR');
  const dir = configured === 'off' ? undefined : path.resolve(REPOSITORY_ROOT, configured ?? DEFAULT_CONSOLE_DIR);
  return {
    dir: dir && fs.existsSync(path.join(dir, 'index.html')) ? dir : undefined,
    devLogin: !options.production && !!options.auth.devKeysDir && !options.auth.jwksUrl,
  };
}

/** Security headers of the console's pages: its own scripts and styles only, no framing, no sniffing. */
function securityHeaders(_req: express.Request, res: express.Response, next: express.NextFunction): void {
  res.setHeader('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  next();
}

export function consoleRoutes(settings: ConsoleSettings, auth: AuthConfig, logger: Logger): Router {
  const router = Router();
  if (settings.devLogin) {
    const organizations = Object.values(DEMO_ORGANIZATIONS);
    router.get('/dev/users', (_req, res) => {
      res.json({
        users: DEMO_USERS.map((user) => {
          const organization = organizations.find((o) => o.id === user.organizationId);
          return { handle: user.handle, name: user.name, roles: user.roles, organizationId: user.organizationId, organization: organization?.name ?? user.organizationId };
        }),
      });
    });
    router.post('/dev/token', express.json({ limit: '1kb' }), async (req, res) => {
      const handle = (req.body as { handle?: unknown } | undefined)?.handle;
      const user = DEMO_USERS.find((candidate) => candidate.handle === handle);
      if (!user) {
        res.status(400).json({ error: `No seeded user "${String(handle)}"; GET /dev/users lists them` });
        return;
      }
      const token = await issueDevToken({
        devKeysDir: auth.devKeysDir!,
        issuer: auth.issuer,
        audience: auth.audience,
        principal: { userId: user.id, organizationId: user.organizationId, roles: user.roles },
        name: user.name,
        expiresIn: '12h',
      });
      logger.info({ requestId: res.locals.requestId, handle: user.handle }, 'development login: token issued');
      res.setHeader('cache-control', 'no-store');
      res.json({ token, expiresIn: '12h' });
    });
  }
  if (settings.dir) {
    router.use(securityHeaders, express.static(settings.dir, { index: 'index.html', maxAge: 0, setHeaders: (res, file) => {
      // Vite names built assets by content hash: they never change under the same name.
      if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
    } }));
  }
  return router;
}
