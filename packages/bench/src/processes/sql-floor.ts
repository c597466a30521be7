/**
 * The direct SQL floor of the standards comparison (npm run bench): a small HTTP endpoint that computes the same
 * aggregates as districtComparison with hand-written SQL over the same databases, as the same application roles
 * under the same row-level security (a coordinator of the district, set once per connection), so that autocannon
 * measures it at the same concurrency as the gateway. Per request, one statement per database:
 *  - partners: the district's municipalities and its standards valid in the period;
 *  - cases: statistics_case_figures, _goal_figures and _consultation_figures for all municipalities (UNION ALL);
 *  - referrals: statistics_referral_figures for all municipalities;
 * the last two in parallel. Only the current period: the operation asks for no trend.
 * POST /district-comparison: the district's (DISTRICT_ID); POST /state-comparison: every district's, as
 * stateComparison (all municipalities of all districts, the standards of every district).
 *
 * Environment: PORT, PARTNERS_URL, CASES_URL, REFERRALS_URL (application roles), DISTRICT_ID, PERIOD,
 * PRINCIPAL (JSON { userId, organizationId, roles }), POOL_SIZE. Ready at /ready.
 */
import http from 'node:http';
import { exitWithParent, parsePeriod } from '@integration-graph/common';
import { Pool } from 'pg';

const port = Number(process.env.PORT);
const districtId = process.env.DISTRICT_ID!;
const period = parsePeriod(process.env.PERIOD!);
const principal = JSON.parse(process.env.PRINCIPAL!) as { userId: string; organizationId: string; roles: string[] };
const poolSize = Number(process.env.POOL_SIZE ?? 10);

function pool(url: string): Pool {
  const created = new Pool({ connectionString: url, max: poolSize });
  // The caller's settings for row-level security and the statistics functions, once per connection (session level).
  created.on('connect', (client) => {
    client
      .query(`SELECT set_config('app.org_id', $1, false), set_config('app.user_id', $2, false), set_config('app.roles', $3, false)`, [
        principal.organizationId,
        principal.userId,
        principal.roles.join(','),
      ])
      .catch(() => undefined);
  });
  return created;
}

const partners = pool(process.env.PARTNERS_URL!);
const cases = pool(process.env.CASES_URL!);
const referrals = pool(process.env.REFERRALS_URL!);

const CASE_FIGURES = ['statistics_case_figures', 'statistics_goal_figures', 'statistics_consultation_figures']
  .map((fn) => `SELECT group_id, figure, category, n, base, median FROM ${fn}('municipality', $1::uuid[], $2::text[], $3::date[], $4::date[])`)
  .join(' UNION ALL ');

type Scope = 'district' | 'state';

async function comparison(scope: Scope): Promise<Record<string, unknown>> {
  const { rows } = await partners.query(
    scope === 'district'
      ? `SELECT
           (SELECT coalesce(json_agg(json_build_object('id', o.id, 'name', o.name) ORDER BY o.name, o.id), '[]')
              FROM organizations o WHERE o.parent_id = $1 AND o.kind = 'municipality') AS municipalities,
           (SELECT coalesce(json_agg(json_build_object('metric', s.metric, 'target', s.target, 'direction', s.direction)), '[]')
              FROM standards s WHERE s.district_id = $1 AND daterange(s.valid_from, s.valid_until, '[]') && daterange($2::date, $3::date, '[)')) AS standards`
      : `SELECT
           (SELECT coalesce(json_agg(json_build_object('id', o.id, 'name', o.name, 'district', d.name) ORDER BY d.name, o.name, o.id), '[]')
              FROM organizations o JOIN organizations d ON d.id = o.parent_id AND d.kind = 'district' WHERE o.kind = 'municipality' AND $1::uuid IS NOT NULL) AS municipalities,
           (SELECT coalesce(json_agg(json_build_object('district', s.district_id, 'metric', s.metric, 'target', s.target, 'direction', s.direction)), '[]')
              FROM standards s WHERE daterange(s.valid_from, s.valid_until, '[]') && daterange($2::date, $3::date, '[)')) AS standards`,
    [districtId, period.start, period.end],
  );
  const municipalities = rows[0].municipalities as { id: string; name: string }[];
  const ids = municipalities.map((m) => m.id);
  const repeat = <T>(value: T) => ids.map(() => value);
  const [caseFigures, referralFigures] = await Promise.all([
    cases.query(CASE_FIGURES, [ids, repeat(period.label), repeat(period.start), repeat(period.end)]),
    referrals.query(`SELECT group_id, figure, n, base, median FROM statistics_referral_figures($1::text[], $2::uuid[], $3::text[], $4::date[], $5::date[])`, [
      repeat('municipality'),
      ids,
      repeat(period.label),
      repeat(period.start),
      repeat(period.end),
    ]),
  ]);
  return { municipalities: municipalities.length, standards: rows[0].standards.length, caseRows: caseFigures.rowCount, referralRows: referralFigures.rowCount };
}

const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  if (req.method === 'GET' && req.url === '/ready') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
    return;
  }
  const scope: Scope | null = req.url === '/district-comparison' ? 'district' : req.url === '/state-comparison' ? 'state' : null;
  if (!scope) {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"message":"not found"}]}');
    return;
  }
  req.resume();
  req.on('end', () => {
    comparison(scope).then(
      (data) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data })),
      (error) => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error?.message ?? error) }] })),
    );
  });
});
server.listen(port, '127.0.0.1');
const stop = () => {
  server.close();
  Promise.all([partners.end(), cases.end(), referrals.end()]).finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
exitWithParent(stop);
