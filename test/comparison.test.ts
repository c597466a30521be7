import { DEMO_ORGANIZATIONS, minCellSize, OFFENBURG_AGS, organizationIdForAgs } from '@integration-graph/common';
import { startTestPlatform, TestPlatform } from './helpers';

let platform: TestPlatform;
const O = DEMO_ORGANIZATIONS;
const PERIOD = '2026-T3';

beforeAll(async () => {
  platform = await startTestPlatform();
}, 120_000);
afterAll(() => platform?.stop());

type Figure = { metric: string; value: number | null; suppressed: boolean };
type Row = { municipality: { name: string; ags: string }; caseMetrics: Figure[]; referralMetrics: Figure[]; standardResults: { metric: string; met: boolean | null; suppressed: boolean }[] };
type Comparison = { districtComparison: { municipalities: Row[]; caseDistribution: { metric: string; median: number | null }[]; referralDistribution: { metric: string }[]; standards: { metric: string }[] } };

const QUERY = `query($d: ID!, $p: String!) { districtComparison(districtId: $d, period: $p) {
  standards { metric title target direction }
  municipalities { municipality { name ags } provider { name }
    caseMetrics { metric value numerator denominator suppressed trend { period value suppressed } }
    referralMetrics { metric value suppressed }
    caseBreakdowns { breakdown key count suppressed }
    standardResults { metric value met suppressed } }
  caseDistribution { metric median lowerQuartile upperQuartile counted }
  referralDistribution { metric median lowerQuartile upperQuartile counted }
} }`;

describe('the cooperation meeting’s comparison through the gateway', () => {
  let comparison: Comparison['districtComparison'];
  let token: string;

  beforeAll(async () => {
    token = await platform.tokenOf('ortenaukreis-coordinator');
    const result = await platform.query<Comparison>(QUERY, { d: O.ortenaukreis.id, p: PERIOD }, token);
    if (result.errors) throw new Error(JSON.stringify(result.errors, null, 2));
    comparison = result.data!.districtComparison;
  });

  it('returns every metric for all 51 municipalities in one request, with medians and standards judged', () => {
    expect(comparison.municipalities).toHaveLength(51);
    const caseMetrics = new Set(comparison.municipalities[0].caseMetrics.map((m) => m.metric));
    for (const metric of ['ACTIVE_CASES', 'SHARE_ACTIVE_CASES_WITH_PLAN', 'MEDIAN_DAYS_TO_FIRST_PLAN', 'SHARE_PLANS_REVIEWED_WITHIN_SIX_MONTHS', 'SHARE_GOALS_ACHIEVED', 'SHARE_HOME_VISITS', 'SHARE_CASES_REACHING_LIMIT']) {
      expect(caseMetrics).toContain(metric);
    }
    const referralMetrics = new Set(comparison.municipalities[0].referralMetrics.map((m) => m.metric));
    for (const metric of ['REFERRALS_SENT', 'SHARE_REFERRALS_ANSWERED_IN_TIME', 'MEDIAN_DAYS_TO_FIRST_RESPONSE', 'ACCEPTANCE_RATE', 'COMPLETION_RATE', 'EXPIRY_RATE']) {
      expect(referralMetrics).toContain(metric);
    }
    expect(comparison.caseDistribution.map((d) => d.metric)).toEqual(expect.arrayContaining([...caseMetrics]));
    for (const row of comparison.municipalities) expect(row.standardResults.length).toBe(comparison.standards.length);
  });

  it('suppresses small cells instead of showing them, and never shows 0 for them', () => {
    const figures = comparison.municipalities.flatMap((row) => [...row.caseMetrics, ...row.referralMetrics]);
    const suppressed = figures.filter((f) => f.suppressed);
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed.every((f) => f.value === null)).toBe(true);
  });

  it('carries no personal data', () => {
    const text = JSON.stringify(comparison);
    for (const name of ['Haddad', 'Rahimi', 'Kovalenko', 'Amina', 'Yusuf', 'givenName', 'dateOfBirth']) expect(text).not.toContain(name);
  });

  it('exports the same figures as CSV and as a printable HTML handout, with the caller’s token only', async () => {
    const base = platform.gatewayUrl.replace(/\/graphql$/, '');
    const url = (format: string) => `${base}/exports/district-comparison.${format}?districtId=${O.ortenaukreis.id}&period=${PERIOD}`;
    expect((await fetch(url('csv'))).status).toBe(401);
    const csv = await (await fetch(url('csv'), { headers: { authorization: `Bearer ${token}` } })).text();
    const [header, ...lines] = csv.trim().split('\n').map((line) => line.split(','));
    const offenburg = lines.find((line) => line[1] === OFFENBURG_AGS)!;
    const apiRow = comparison.municipalities.find((row) => row.municipality.ags === OFFENBURG_AGS)!;
    for (const figure of [...apiRow.caseMetrics, ...apiRow.referralMetrics]) {
      const column = header.indexOf(figure.metric);
      expect(column).toBeGreaterThan(2);
      const expected = figure.suppressed ? 'suppressed' : figure.value === null ? '' : String(Math.round(figure.value * 10_000) / 10_000);
      expect(offenburg[column]).toBe(expected);
    }
    expect(lines.filter((line) => /^\d{8}$/.test(line[1]))).toHaveLength(51);
    const html = await (await fetch(url('html'), { headers: { authorization: `Bearer ${token}` } })).text();
    expect(html).toContain('<table>');
    expect((html.match(/<svg /g) ?? []).length).toBe(comparison.standards.length);
    expect((html.match(/<tr><td>/g) ?? []).length).toBe(51);
  });

  it('is refused to partner staff and anonymous callers', async () => {
    expect((await platform.query(QUERY, { d: O.ortenaukreis.id, p: PERIOD })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await platform.query(QUERY, { d: O.ortenaukreis.id, p: PERIOD }, await platform.tokenOf('jobcenter-partner'))).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('the comparison for a municipal app (Offenburg’s Bürger-App)', () => {
  type Distribution = { metric: string; median: number | null; lowerQuartile: number | null; upperQuartile: number | null; counted: number };
  type Full = Omit<Comparison['districtComparison'], 'caseDistribution' | 'referralDistribution'> & { caseDistribution: Distribution[]; referralDistribution: Distribution[] };
  let full: Full;
  let mine: Full;
  let app: string;

  beforeAll(async () => {
    app = await platform.tokenOf('offenburg-app');
    const asCoordinator = await platform.query<{ districtComparison: Full }>(QUERY, { d: O.ortenaukreis.id, p: PERIOD }, await platform.tokenOf('ortenaukreis-coordinator'));
    const asApp = await platform.query<{ districtComparison: Full }>(QUERY, { d: O.ortenaukreis.id, p: PERIOD }, app);
    if (asApp.errors) throw new Error(JSON.stringify(asApp.errors, null, 2));
    full = asCoordinator.data!.districtComparison;
    mine = asApp.data!.districtComparison;
  });

  it('shows its own municipality’s row, with the same figures the cooperation sees, and no other municipality', () => {
    expect(mine.municipalities.map((row) => row.municipality.ags)).toEqual([OFFENBURG_AGS]);
    expect(mine.municipalities[0]).toEqual(full.municipalities.find((row) => row.municipality.ags === OFFENBURG_AGS));
    expect(mine.standards).toEqual(full.standards);
  });

  it('shows the district’s distribution, withheld where too few municipalities count to keep the others’ values unknown', () => {
    for (const [own, all] of [
      [mine.caseDistribution, full.caseDistribution],
      [mine.referralDistribution, full.referralDistribution],
    ]) {
      expect(own.map((d) => d.metric)).toEqual(all.map((d) => d.metric));
      own.forEach((distribution, i) => {
        const expected = all[i].counted >= minCellSize() ? all[i] : { ...all[i], median: null, lowerQuartile: null, upperQuartile: null };
        expect(distribution).toEqual(expected);
      });
    }
  });

  it('is refused another district’s comparison, and exports its own row only', async () => {
    const other = await platform.query(QUERY, { d: organizationIdForAgs('08117'), p: PERIOD }, app);
    expect(other.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(other.data).toBeNull();
    const base = platform.gatewayUrl.replace(/\/graphql$/, '');
    const csv = await (await fetch(`${base}/exports/district-comparison.csv?districtId=${O.ortenaukreis.id}&period=${PERIOD}`, { headers: { authorization: `Bearer ${app}` } })).text();
    const rows = csv.trim().split('\n').map((line) => line.split(',')).filter((line) => /^\d{8}$/.test(line[1]));
    expect(rows.map((row) => row[1])).toEqual([OFFENBURG_AGS]);
  });
});

describe('the comparison of the whole state through the gateway', () => {
  const STATE = `query($p: String!) { stateComparison(period: $p) { period districts { districtId district { name }
    standards { metric title target direction }
    municipalities { municipality { name ags } provider { name }
      caseMetrics { metric value numerator denominator suppressed trend { period value suppressed } }
      referralMetrics { metric value suppressed }
      caseBreakdowns { breakdown key count suppressed }
      standardResults { metric value met suppressed } }
    caseDistribution { metric median lowerQuartile upperQuartile counted }
    referralDistribution { metric median lowerQuartile upperQuartile counted } } } }`;
  type State = { stateComparison: { period: string; districts: (Comparison['districtComparison'] & { districtId: string; district: { name: string } })[] } };

  it('holds every district by name, each exactly as districtComparison answers it', async () => {
    const token = await platform.tokenOf('ortenaukreis-coordinator');
    const state = await platform.query<State>(STATE, { p: PERIOD }, token);
    expect(state.errors).toBeUndefined();
    const { districts } = state.data!.stateComparison;
    const names = districts.map((d) => d.district.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    for (const district of districts) {
      const alone = await platform.query<Comparison>(QUERY, { d: district.districtId, p: PERIOD }, token);
      expect(alone.errors).toBeUndefined();
      const { districtId: _id, district: _name, ...figures } = district;
      expect({ district: district.district.name, ...figures }).toEqual({ district: district.district.name, ...alone.data!.districtComparison });
    }
    expect(districts.find((d) => d.districtId === O.ortenaukreis.id)?.municipalities).toHaveLength(51);
  });

  it('is not for a municipal app, which reads its own district’s comparison', async () => {
    const app = await platform.tokenOf('offenburg-app');
    const answer = await platform.query<State>(STATE, { p: PERIOD }, app);
    expect(answer.data).toBeNull();
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(answer.errors?.[0].message).toMatch(/own district only \(districtComparison\)/);
  });

  it('refuses a period that is not one, naming the field', async () => {
    const answer = await platform.query<State>(STATE, { p: '2026-T4' }, await platform.tokenOf('ortenaukreis-coordinator'));
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(answer.errors?.[0].message).toMatch(/period/);
  });
});
