import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_ORGANIZATIONS, DEMO_USERS, env, findDemoOrganization, isRole, issueDevToken, REPOSITORY_ROOT, Role } from '@integration-graph/common';

const USAGE = `Prints a development token for a seeded user.

  npm run token -- --org <alias|id> --role <role>     e.g. --org ortenaukreis --role caseworker
  npm run token -- --user <handle>                    e.g. --user vhs-partner
  npm run token -- --list                             seeded users, organisations and roles

Roles: ${Object.values(Role).join(', ')}. Needs the keys that npm start generated (DATA_DIR, default .data).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      org: { type: 'string' },
      role: { type: 'string' },
      user: { type: 'string' },
      expires: { type: 'string', default: '12h' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return console.log(USAGE);
  if (values.list) {
    for (const user of DEMO_USERS) {
      const org = Object.values(DEMO_ORGANIZATIONS).find((o) => o.id === user.organizationId)!;
      console.log(`${user.handle.padEnd(26)} --org ${org.alias.padEnd(14)} --role ${user.roles.join(',').padEnd(13)} ${user.name} (${org.name})`);
    }
    return;
  }
  let user = values.user ? DEMO_USERS.find((u) => u.handle === values.user) : undefined;
  if (values.user && !user) throw new Error(`No seeded user "${values.user}"; see --list`);
  if (!user) {
    if (!values.org || !values.role) throw new Error(`Give --org and --role, or --user.\n\n${USAGE}`);
    const org = findDemoOrganization(values.org);
    if (!org) throw new Error(`Unknown organisation "${values.org}"; known: ${Object.values(DEMO_ORGANIZATIONS).map((o) => o.alias).join(', ')}`);
    if (!isRole(values.role)) throw new Error(`Unknown role "${values.role}"; roles: ${Object.values(Role).join(', ')}`);
    user = DEMO_USERS.find((u) => u.organizationId === org.id && u.roles.includes(values.role as Role));
    if (!user) throw new Error(`No seeded user with role ${values.role} at ${org.name}; see --list`);
  }
  const dataDir = path.resolve(REPOSITORY_ROOT, env('DATA_DIR', '.data')!);
  console.log(
    await issueDevToken({
      devKeysDir: env('AUTH_DEV_KEYS_DIR', path.join(dataDir, 'keys'))!,
      issuer: env('AUTH_ISSUER', 'integration-graph-dev')!,
      audience: env('AUTH_AUDIENCE', 'integration-graph')!,
      principal: { userId: user.id, organizationId: user.organizationId, roles: user.roles },
      name: user.name,
      expiresIn: values.expires,
    }),
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
