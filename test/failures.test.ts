import { startTestPlatform, TestPlatform } from './helpers';

/**
 * Issue 9, "Failures": a subgraph that goes down takes only its own part of an answer with it. The gateway answers
 * with the data of the other subgraphs and a SUBGRAPH_UNAVAILABLE error where the missing part goes, reports the
 * subgraph on /ready, and serves it again as soon as it is back, without being restarted itself.
 */
let platform: TestPlatform;
let caseworker: string;
let referralId: string;
const pidOf = (name: string) => platform.processes.find((p) => p.name === name)!.pid;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function ready(): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(platform.gatewayUrl.replace(/\/graphql$/, '/ready'));
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Cases (the caseload) and referrals (one referral, with its case from cases) in one request. */
const SPANNING = `query($id: ID!) {
  myCaseload(first: 3) { totalCount edges { node { id status } } }
  referral(id: $id) { id status case { id status } }
}`;

beforeAll(async () => {
  platform = await startTestPlatform();
  caseworker = await platform.tokenOf('ortenaukreis-caseworker');
  const { data } = await platform.query<{ referrals: { id: string }[] }>(`{ referrals(limit: 1) { id } }`, {}, caseworker);
  referralId = data!.referrals[0].id;
}, 120_000);
afterAll(() => platform?.stop());

describe('a subgraph down (referrals killed)', () => {
  let before: Record<string, unknown>;
  let gatewayPid: number;

  beforeAll(async () => {
    const result = await platform.query(SPANNING, { id: referralId }, caseworker);
    expect(result.errors).toBeUndefined();
    before = result.data!;
    gatewayPid = pidOf('gateway');
    const referrals = pidOf('referrals');
    process.kill(referrals, 'SIGKILL');
    await waitFor(() => !alive(referrals), 'the referrals process to be gone');
  });

  it('answers with the data of the others and a clear error where the missing part goes', async () => {
    const result = await platform.query<{ myCaseload: unknown; referral: unknown }>(SPANNING, { id: referralId }, caseworker);
    expect(result.status).toBe(200);
    // cases answered: the caseload is complete
    expect(result.data!.myCaseload).toEqual(before.myCaseload);
    // referrals did not: its field is null, and the error says which service, why and where
    expect(result.data!.referral).toBeNull();
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors!;
    expect(error.path).toEqual(['referral']);
    expect(error.extensions).toMatchObject({ code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'referrals', reason: 'unreachable', fields: ['Query.referral'] });
    expect(error.extensions!.requestId).toEqual(expect.any(String));
    expect(error.message).toBe('The referrals service is not reachable right now: referral is missing from this answer. The rest of the answer is complete. Try again shortly.');
    // nothing internal: no URL, address, port or driver message (the stack trace is off in production)
    const { stacktrace: _stack, ...shown } = error.extensions!;
    const port = new URL(platform.subgraphUrls.referrals).port;
    expect(JSON.stringify({ ...error, extensions: shown })).not.toMatch(new RegExp(`127\\.0\\.0\\.1|localhost|:${port}|ECONNREFUSED|http://`));
  });

  it('names the missing field of every object when an entity fetch fails (Case.referrals, non-null: GraphQL nulls the parent)', async () => {
    const result = await platform.query<{ myCaseload: unknown }>(`{ myCaseload(first: 2) { edges { node { id referrals { id } } } } }`, {}, caseworker);
    expect(result.status).toBe(200);
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({
      path: ['myCaseload', 'edges', 0, 'node', 'referrals'],
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'referrals', reason: 'unreachable', fields: ['Case.referrals'], objects: 2 },
    });
    expect(result.errors![0].message).toMatch(/^The referrals service is not reachable right now: Case\.referrals is missing from this answer \(for all 2 objects; this error names the first\)/);
  });

  it('still answers what needs only the other subgraphs, without errors', async () => {
    const result = await platform.query(`{ myCaseload(first: 3) { totalCount } organizations(first: 1) { totalCount } }`, {}, caseworker);
    expect(result.errors).toBeUndefined();
  });

  it('refuses a change routed to it with the same error, saying that nothing was changed', async () => {
    const result = await platform.query(
      `mutation($id: ID!) { cancelReferral(input: { id: $id, expectedVersion: 1, reason: SENT_IN_ERROR }) { id } }`,
      { id: referralId },
      caseworker,
    );
    expect(result.data).toBeNull();
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]).toMatchObject({ path: ['cancelReferral'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'referrals', reason: 'unreachable' } });
    expect(result.errors![0].message).toBe('The referrals service is not reachable right now: cancelReferral is missing from this answer. Nothing was changed there. Try again shortly.');
  });

  it('reports the subgraph on /ready (503, with the reason)', async () => {
    const { status, body } = await ready();
    expect(status).toBe(503);
    expect(body).toMatchObject({
      status: 'not-ready',
      subgraphs: { partners: 'ready', cases: 'ready', referrals: 'unreachable' },
      reasons: { referrals: 'not reachable' },
    });
  });

  it('recovers by itself when the subgraph is back: the same request succeeds, the gateway was not restarted', async () => {
    await platform.restart('referrals');
    expect(pidOf('referrals')).not.toBe(0);
    const result = await platform.query(SPANNING, { id: referralId }, caseworker);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual(before);
    expect(pidOf('gateway')).toBe(gatewayPid);
    expect(alive(gatewayPid)).toBe(true);
    expect(platform.exits.map((exit) => exit.name)).toEqual(['referrals']);
    expect(await ready()).toEqual({ status: 200, body: { status: 'ready', service: 'gateway', subgraphs: { partners: 'ready', cases: 'ready', referrals: 'ready' } } });
  }, 120_000);
});
