import { demoId, DEMO_ORGANIZATIONS, OFFENBURG_AGS } from '@integration-graph/common';
import {
  AcceptReferralDocument,
  CaseDetailDocument,
  createClient,
  DataSharingConsentDocument,
  decodeToken,
  DistrictComparisonDocument,
  DistrictsDocument,
  IncomingReferralsDocument,
  IntegrationGraphClient,
  MunicipalityDocument,
  MyCaseloadDocument,
  MyOrganizationDocument,
  OfferingsDocument,
  OpenReferralDocument,
  OPERATIONS,
  operationHash,
  RecordConsultationDocument,
  Result,
  SearchMunicipalitiesDocument,
  SendReferralDocument,
} from '@integration-graph/client';
import { startTestPlatform, TestPlatform } from './helpers';

// The client SDK (packages/client) against the real platform: every documented operation through the gateway, sent
// by hash (automatic persisted queries) as the SDK does by default, with errors as typed values.
let platform: TestPlatform;
const O = DEMO_ORGANIZATIONS;
const COURSE = demoId('offering', 'vhs-ik-allgemein-2027-01');

beforeAll(async () => {
  platform = await startTestPlatform();
}, 120_000);
afterAll(() => platform?.stop());

function data<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.data;
}

describe('the client SDK through the gateway', () => {
  let anonymous: IntegrationGraphClient;
  beforeAll(() => {
    anonymous = createClient({ url: platform.gatewayUrl });
  });

  it('reads the public directory without a token, by hash, in the language asked for', async () => {
    const municipalities = data(await anonymous.request(SearchMunicipalitiesDocument, { text: 'Offenburg' }));
    expect(municipalities.organizations.edges.map((e) => e.node.officialMunicipalityKey)).toContain(OFFENBURG_AGS);
    const municipality = data(await anonymous.request(MunicipalityDocument, { ags: OFFENBURG_AGS }));
    expect(municipality.municipality?.district.name).toBe('Ortenaukreis');
    const districts = data(await anonymous.request(DistrictsDocument));
    expect(districts.organizations.edges.map((e) => e.node.id)).toContain(O.ortenaukreis.id);
    const offerings = data(await anonymous.withLanguage('AR').request(OfferingsDocument, { filter: { reachableFromAgs: OFFENBURG_AGS }, first: 5 }));
    expect(offerings.offerings.totalCount).toBeGreaterThan(0);
    for (const { node } of offerings.offerings.edges) {
      expect(node.title?.text).toBeTruthy();
      // Arabic where translated, German otherwise (isFallback)
      expect(node.title!.isFallback ? node.title!.language : 'AR').toMatch(/^(AR|DE)$/);
    }
  });

  it('every operation of the SDK is valid for the gateway, sent by its hash', async () => {
    // Sent without a token and with made-up variables: whatever the answer, it must not be a validation error.
    for (const [name, document] of Object.entries(OPERATIONS)) {
      const response = await fetch(platform.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: document.toString(), extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(document) } } }),
      });
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      const codes = (body.errors ?? []).map((e) => e.extensions?.code);
      expect({ name, codes: codes.filter((c) => c === 'GRAPHQL_VALIDATION_FAILED' || c === 'GRAPHQL_PARSE_FAILED') }).toEqual({ name, codes: [] });
    }
  });

  it('a coordinator reads the comparison; an app only its own municipality; a partner is FORBIDDEN', async () => {
    const coordinator = createClient({ url: platform.gatewayUrl, token: await platform.tokenOf('ortenaukreis-coordinator') });
    const comparison = data(await coordinator.request(DistrictComparisonDocument, { districtId: O.ortenaukreis.id, period: '2026-T3' }));
    expect(comparison.districtComparison.municipalities.length).toBeGreaterThan(5);
    expect(comparison.districtComparison.standards.length).toBeGreaterThan(0);
    for (const row of comparison.districtComparison.municipalities) {
      for (const figure of row.caseMetrics) {
        if (figure.suppressed) expect(figure.value).toBeNull();
        expect(figure.trend).toHaveLength(2);
      }
    }
    const app = createClient({ url: platform.gatewayUrl, token: await platform.tokenOf('offenburg-app') });
    const own = data(await app.request(DistrictComparisonDocument, { districtId: O.ortenaukreis.id, period: '2026-T3' }));
    expect(own.districtComparison.municipalities.map((m) => m.municipality.ags)).toEqual([OFFENBURG_AGS]);
    const partner = createClient({ url: platform.gatewayUrl, token: await platform.tokenOf('jobcenter-partner') });
    const refused = await partner.request(DistrictComparisonDocument, { districtId: O.ortenaukreis.id, period: '2026-T3' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', requestId: expect.any(String) } });
  });

  it('identity: decodeToken names the organisation, MyOrganization reads it', async () => {
    const token = await platform.tokenOf('vhs-partner');
    const claims = decodeToken(token)!;
    expect(claims).toMatchObject({ organizationId: O.vhs.id, roles: ['partner'] });
    const me = data(await createClient({ url: platform.gatewayUrl, token }).request(MyOrganizationDocument, { id: claims.organizationId }));
    expect(me.organization?.name).toBe(O.vhs.name);
  });

  it('a partner opens and accepts a referral from the inbox; a stale version is a CONFLICT', async () => {
    const partner = createClient({ url: platform.gatewayUrl, token: await platform.tokenOf('vhs-partner') });
    const inbox = data(await partner.request(IncomingReferralsDocument, { filter: { statuses: ['SENT'] }, first: 20 }));
    const referral = inbox.incomingReferrals.edges[0].node;
    expect(referral.clientData).toBeTruthy();
    expect(referral.allowedNextStatuses).toContain('RECEIVED');
    const opened = data(await partner.request(OpenReferralDocument, { input: { id: referral.id, expectedVersion: referral.version } }));
    expect(opened.openReferral.status).toBe('RECEIVED');
    const stale = await partner.request(AcceptReferralDocument, { input: { id: referral.id, expectedVersion: referral.version } });
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const accepted = data(await partner.request(AcceptReferralDocument, { input: { id: referral.id, expectedVersion: opened.openReferral.version, comment: 'Platz ab Januar' } }));
    expect(accepted.acceptReferral).toMatchObject({ status: 'ACCEPTED', history: expect.arrayContaining([expect.objectContaining({ toStatus: 'ACCEPTED', comment: 'Platz ab Januar' })]) });
  });

  it('a caseworker reads the caseload and a case, records a consultation and sends a referral; a missing consent is BAD_USER_INPUT naming the rule', async () => {
    const caseworker = createClient({ url: platform.gatewayUrl, token: await platform.tokenOf('ortenaukreis-caseworker'), purpose: 'Test: Hilfeplangespräch' });
    const caseload = data(await caseworker.request(MyCaseloadDocument, { first: 20 }));
    expect(caseload.myCaseload.totalCount).toBeGreaterThan(0);
    const caseId = demoId('case', 'ortenau-1');
    const detail = data(await caseworker.request(CaseDetailDocument, { id: caseId }));
    expect(detail.case).toMatchObject({ id: caseId, client: { givenName: expect.any(String) }, plan: { goals: expect.any(Array) } });
    const consultation = data(
      await caseworker.request(RecordConsultationDocument, {
        input: { caseId, occurredAt: new Date().toISOString(), durationMinutes: 30, mode: 'PHONE', lifeAreas: ['LANGUAGE'], idempotencyKey: `sdk-test-${Date.now()}` },
      }),
    );
    expect(consultation.recordConsultation.durationMinutes).toBe(30);
    const check = data(await caseworker.request(DataSharingConsentDocument, { caseId, recipientOrganizationId: O.vhs.id, recipientKind: 'language_course_provider' }));
    expect(check.dataSharingConsent.allowed).toBe(true);
    const sent = data(
      await caseworker.request(SendReferralDocument, {
        input: { caseId, partnerOrganizationId: O.vhs.id, offeringId: COURSE, lifeArea: 'LANGUAGE', reason: 'Integrationskurs (SDK-Test)', idempotencyKey: `sdk-${Date.now()}` },
      }),
    );
    expect(sent.sendReferral).toMatchObject({ status: 'SENT', partner: { id: O.vhs.id } });
    // ortenau-2's consent for the migration counselling was revoked
    const refused = await caseworker.request(SendReferralDocument, {
      input: { caseId: demoId('case', 'ortenau-2'), partnerOrganizationId: O.mbe.id, lifeArea: 'RESIDENCE', reason: 'Beratung', idempotencyKey: `sdk-refused-${Date.now()}` },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_USER_INPUT', field: 'input.caseId', rule: 'consentRequired' } });
  });

  it('errors as values: no token, a token that does not verify, an unreachable gateway', async () => {
    expect(await anonymous.request(MyCaseloadDocument, {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const forged = createClient({ url: platform.gatewayUrl, token: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' });
    expect(await forged.request(MyCaseloadDocument, {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', status: 401 } });
    const nowhere = createClient({ url: 'http://127.0.0.1:9/graphql', timeoutMs: 2_000 });
    expect(await nowhere.request(DistrictsDocument)).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
  });

  it('downloads the comparison as CSV with the token', async () => {
    const coordinator = createClient({ url: platform.gatewayUrl, token: await platform.tokenOf('ortenaukreis-coordinator') });
    const csv = data(await coordinator.exportFile('district-comparison.csv', { districtId: O.ortenaukreis.id, period: '2026-T3' }));
    expect(csv.contentType).toMatch(/text\/csv/);
    expect(csv.text.split('\n').length).toBeGreaterThan(5);
    const refused = await anonymous.exportFile('district-comparison.csv', { districtId: O.ortenaukreis.id, period: '2026-T3' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });
});
