import { DEMO_ORGANIZATIONS, demoUserToken, startTestSubgraph, TestSubgraph } from '@integration-graph/common';
import { casesSubgraph } from '../src/subgraph';

let cases: TestSubgraph;
const O = DEMO_ORGANIZATIONS;

beforeAll(async () => {
  cases = await startTestSubgraph(casesSubgraph, { seed: true });
});
afterAll(() => cases?.stop());

const SNAPSHOT = `query($caseId: ID!, $to: ID!, $kind: String) {
  referralSnapshot(caseId: $caseId, recipientOrganizationId: $to, recipientKind: $kind) { allowed reason consentId scope data caseStatus ownerOrganizationId }
}`;
const STILL_VALID = `query($ids: [ID!]!) { consentsStillValid(consentIds: $ids) }`;

/** A valid data-sharing consent of the seed for the Volkshochschule, with its case. */
async function vhsConsent() {
  const [row] = await cases.ownerQuery<{ id: string; case_id: string; scope: string[] }>(
    `SELECT s.id, s.case_id, s.scope FROM consents s
      WHERE s.kind = 'data_sharing' AND s.recipient_organization_id = $1 AND s.revoked_at IS NULL AND (s.valid_until IS NULL OR s.valid_until >= current_date)
        AND EXISTS (SELECT 1 FROM consents c WHERE c.case_id = s.case_id AND c.kind = 'counselling' AND c.revoked_at IS NULL)
      ORDER BY s.id LIMIT 1`,
    [O.vhs.id],
  );
  const [owner] = await cases.ownerQuery<{ owner_organization_id: string }>(`SELECT owner_organization_id FROM cases WHERE id = $1`, [row.case_id]);
  return { ...row, owner: owner.owner_organization_id };
}

describe('what the referrals subgraph asks', () => {
  it('returns exactly the consented fields of the client for the recipient', async () => {
    const consent = await vhsConsent();
    const handle = consent.owner === O.ortenaukreis.id ? 'ortenaukreis-caseworker' : consent.owner === O.offenburg.id ? 'offenburg-caseworker' : 'diakonie-caseworker';
    const result = await cases.graphql<{ referralSnapshot: { allowed: boolean; consentId: string; scope: string[]; data: Record<string, unknown> } }>(
      SNAPSHOT,
      { caseId: consent.case_id, to: O.vhs.id },
      await demoUserToken(handle),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.referralSnapshot).toMatchObject({ allowed: true, consentId: consent.id });
    expect(Object.keys(result.data!.referralSnapshot.data).sort()).toEqual([...consent.scope].sort());
    expect(result.data!.referralSnapshot.scope.sort()).toEqual([...consent.scope].sort());
    const other = await cases.graphql<{ referralSnapshot: { allowed: boolean; data: unknown; reason: string } }>(
      SNAPSHOT,
      { caseId: consent.case_id, to: O.immigrationOffice.id },
      await demoUserToken(handle),
    );
    expect(other.data!.referralSnapshot).toMatchObject({ allowed: false, data: null });
    expect(other.data!.referralSnapshot.reason).toMatch(/DATA_SHARING/i);
  });

  it('refuses partners and other organisations the snapshot', async () => {
    const consent = await vhsConsent();
    const partner = await cases.graphql(SNAPSHOT, { caseId: consent.case_id, to: O.vhs.id }, await demoUserToken('vhs-partner'));
    expect(partner.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const foreignHandle = consent.owner === O.offenburg.id ? 'diakonie-caseworker' : 'offenburg-caseworker';
    const foreign = await cases.graphql(SNAPSHOT, { caseId: consent.case_id, to: O.vhs.id }, await demoUserToken(foreignHandle));
    expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('tells a receiving partner whether its consent still holds, and only its own', async () => {
    const consent = await vhsConsent();
    const vhs = await demoUserToken('vhs-partner');
    expect((await cases.graphql(STILL_VALID, { ids: [consent.id] }, vhs)).data).toEqual({ consentsStillValid: [true] });
    expect((await cases.graphql(STILL_VALID, { ids: [consent.id] }, await demoUserToken('jobcenter-partner'))).data).toEqual({ consentsStillValid: [false] });
    await cases.ownerQuery(`UPDATE consents SET revoked_at = now() WHERE id = $1`, [consent.id]);
    expect((await cases.graphql(STILL_VALID, { ids: [consent.id] }, vhs)).data).toEqual({ consentsStillValid: [false] });
    expect((await cases.graphql(STILL_VALID, { ids: [consent.id] })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('never counts a consent given to a kind of organisation the caller is not', async () => {
    const [kindWide] = await cases.ownerQuery<{ id: string }>(`SELECT id FROM consents WHERE kind = 'data_sharing' AND recipient_kind = 'jobcenter' AND revoked_at IS NULL LIMIT 1`);
    expect(kindWide).toBeDefined();
    // The VHS is a language-course provider; without the directory the kind is unknown and only own consents count.
    expect((await cases.graphql(STILL_VALID, { ids: [kindWide.id] }, await demoUserToken('vhs-partner'))).data).toEqual({ consentsStillValid: [false] });
  });

  it('does not let the application role read consents around the function', async () => {
    const client = await cases.appClient();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true), set_config('app.roles', 'partner', true)`, [O.vhs.id]);
      expect((await client.query('SELECT count(*)::int AS n FROM consents')).rows[0].n).toBe(0);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  });
});
