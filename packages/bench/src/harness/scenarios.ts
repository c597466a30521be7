import { Principal } from '@integration-graph/common';
import { CASELOAD_PAGE, PARTNER_INBOX, PUBLIC_DIRECTORY, RECORD_CONSULTATION, SEND_REFERRAL, STANDARDS_COMPARISON, STATE_COMPARISON } from '../operations';
import { BenchSubjects } from './subjects';

export type ScenarioKey =
  | 'partner-inbox'
  | 'caseload-page'
  | 'public-directory'
  | 'standards-comparison'
  | 'state-comparison'
  | 'record-consultation'
  | 'send-referral';

/** One measured operation: its document (packages/bench/src/operations.ts), its caller and its variables. */
export interface Scenario {
  key: ScenarioKey;
  title: string;
  document: string;
  /** Reads are measured against the gateway floor too (a write cannot be replayed faithfully from a recording). */
  kind: 'read' | 'write';
  /** The caller; null for the public directory (no token). */
  principal(subjects: BenchSubjects): Principal | null;
  /** The variables of a read, or of the n-th write (each with its own idempotency key). */
  variables(subjects: BenchSubjects, n: number, runId: string): Record<string, unknown>;
  /** The page size variable, for the statement-scaling check (operations 1 to 3). */
  pageSize?: { variable: string; default(subjects: BenchSubjects): number };
  /** Measured at most at this many connections (and so its references): default the bench's --connections. */
  connections?: number;
  /** Also measured as hand-written SQL over the same databases (the standards comparisons): of the district or the state. */
  sqlFloor?: 'district' | 'state';
}

/** A consultation an hour before the run started: never in the future, after the opening of every seeded case. */
function consultationTime(runId: string): string {
  return new Date(Number(runId.split('-')[0]) - 3_600_000).toISOString();
}

export const SCENARIOS: Scenario[] = [
  {
    key: 'partner-inbox',
    title: '1. partner inbox',
    document: PARTNER_INBOX,
    kind: 'read',
    principal: (s) => s.partner,
    variables: (s) => ({ first: s.pageSizes.inbox }),
    pageSize: { variable: 'first', default: (s) => s.pageSizes.inbox },
  },
  {
    key: 'caseload-page',
    title: '2. caseload page',
    document: CASELOAD_PAGE,
    kind: 'read',
    principal: (s) => s.caseworker,
    variables: (s) => ({ first: s.pageSizes.caseload }),
    pageSize: { variable: 'first', default: (s) => s.pageSizes.caseload },
  },
  {
    key: 'public-directory',
    title: '3. public directory',
    document: PUBLIC_DIRECTORY,
    kind: 'read',
    principal: () => null,
    variables: (s) => ({ first: s.pageSizes.directory, ags: s.directory.ags, lang: s.directory.lang }),
    pageSize: { variable: 'first', default: (s) => s.pageSizes.directory },
  },
  {
    key: 'standards-comparison',
    title: '4. standards comparison (district)',
    document: STANDARDS_COMPARISON,
    kind: 'read',
    principal: (s) => s.coordinator,
    variables: (s) => ({ districtId: s.districtId, period: s.period }),
    sqlFloor: 'district',
  },
  {
    key: 'state-comparison',
    title: '4b. standards comparison (state, 1 connection)',
    document: STATE_COMPARISON,
    kind: 'read',
    principal: (s) => s.coordinator,
    variables: (s) => ({ period: s.period }),
    // A report of the whole state is one person's request at a time (the target: under one second at p50).
    connections: 1,
    sqlFloor: 'state',
  },
  {
    key: 'record-consultation',
    title: '5a. record consultation',
    document: RECORD_CONSULTATION,
    kind: 'write',
    principal: (s) => s.caseworker,
    variables: (s, n, runId) => ({
      input: {
        caseId: s.consultationCaseIds[n % s.consultationCaseIds.length],
        occurredAt: consultationTime(runId),
        durationMinutes: 45,
        mode: 'OFFICE',
        lifeAreas: ['LANGUAGE', 'WORK'],
        note: 'Benchmark consultation',
        idempotencyKey: `bench-${runId}-consultation-${n}`,
      },
    }),
  },
  {
    key: 'send-referral',
    title: '5b. send referral',
    document: SEND_REFERRAL,
    kind: 'write',
    principal: (s) => s.caseworker,
    variables: (s, n, runId) => ({
      input: {
        caseId: s.referral.caseIds[n % s.referral.caseIds.length],
        partnerOrganizationId: s.referral.partnerOrganizationId,
        lifeArea: s.referral.lifeArea,
        reason: 'Benchmark referral',
        idempotencyKey: `bench-${runId}-referral-${n}`,
      },
    }),
  },
];

export function findScenarios(keys: readonly string[] | undefined): Scenario[] {
  if (!keys?.length) return SCENARIOS;
  const unknown = keys.filter((key) => !SCENARIOS.some((scenario) => scenario.key === key));
  if (unknown.length) throw new Error(`Unknown operation(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.key).join(', ')}`);
  return SCENARIOS.filter((scenario) => keys.includes(scenario.key));
}

/** The JSON body of a request. */
export function requestBody(scenario: Scenario, variables: Record<string, unknown>): string {
  const operationName = /^(?:query|mutation)\s+(\w+)/.exec(scenario.document)?.[1];
  return JSON.stringify({ query: scenario.document, variables, ...(operationName ? { operationName } : {}) });
}
