import { Principal, Role } from '../auth/principal';
import { issueDevToken } from '../auth/tokens';
import { DEMO_USERS, DemoUser } from '../seed/demo';

/** A token signed with the test run's development key (see global setup). */
export function testToken(principal: Principal | DemoUser, expiresIn = '10m'): Promise<string> {
  const devKeysDir = process.env.AUTH_DEV_KEYS_DIR;
  if (!devKeysDir) throw new Error('AUTH_DEV_KEYS_DIR is not set: run the tests with npm test');
  const { id, organizationId, roles } = 'userId' in principal ? { ...principal, id: principal.userId } : principal;
  return issueDevToken({
    devKeysDir,
    issuer: 'integration-graph-dev',
    audience: 'integration-graph',
    principal: { userId: id, organizationId, roles },
    expiresIn,
  });
}

/** A token of the seeded demo user with this handle (see DEMO_USERS). */
export function demoUserToken(handle: string): Promise<string> {
  const user = DEMO_USERS.find((candidate) => candidate.handle === handle);
  if (!user) throw new Error(`No demo user "${handle}"`);
  return testToken(user);
}

/** A token of someone with these roles at this organisation. */
export function roleToken(organizationId: string, ...roles: Role[]): Promise<string> {
  return testToken({ userId: `test-${roles.join('-')}-${organizationId.slice(0, 8)}`, organizationId, roles });
}
