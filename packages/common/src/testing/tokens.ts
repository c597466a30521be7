import { Principal } from '../auth/principal';
import { issueDevToken } from '../auth/tokens';
import { DemoUser } from '../seed/demo';

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
