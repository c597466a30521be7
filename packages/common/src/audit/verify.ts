/** Runs one SQL statement and returns its rows (a pg Client, a pool or a TypeORM DataSource's query). */
export type RunQuery = (sql: string, parameters?: unknown[]) => Promise<Record<string, unknown>[]>;

export interface ChainProblem {
  seq: string;
  problem: string;
}

export interface ChainVerification {
  /** Chained entries checked. */
  entries: number;
  /** Entries written but not chained yet (the chainer runs every AUDIT_CHAIN_INTERVAL_MS). */
  pending: number;
  /** The last entry's position and hash: record them elsewhere to detect later that entries were cut off the end. */
  head: { seq: string; hash: string };
  ok: boolean;
  problems: ChainProblem[];
}

const GENESIS_HASH = '0'.repeat(64);
const MAX_PROBLEMS = 100;

/**
 * Walks a database's audit chain from the first entry to the head, in batches: every entry must follow the previous
 * one without a gap, carry the previous entry's hash, and hash to its stored hash (recomputed by
 * audit_entry_digest); the chain's head must be the last entry. Needs a connection that sees every entry (the owner
 * role). Reports at most 100 problems.
 */
export async function verifyAuditChain(
  query: RunQuery,
  options: { batchSize?: number; expectedHead?: { seq: string; hash: string }; onProgress?: (checked: number, total: number) => void } = {},
): Promise<ChainVerification> {
  const batchSize = options.batchSize ?? 10_000;
  const problems: ChainProblem[] = [];
  const report = (seq: string, problem: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ seq, problem });
  };
  const [{ total, pending }] = await query(`SELECT count(seq)::text AS total, (count(*) - count(seq))::text AS pending FROM audit_entries`);
  const totalCount = Number(total);
  let previousSeq = 0n;
  let previousHash = GENESIS_HASH;
  let checked = 0;
  for (;;) {
    const rows = await query(
      `SELECT seq::text AS seq, prev_hash, hash, audit_entry_digest(e) AS digest
         FROM audit_entries e WHERE e.seq > $1::bigint ORDER BY e.seq LIMIT $2`,
      [previousSeq.toString(), batchSize],
    );
    for (const row of rows) {
      const seq = String(row.seq);
      if (BigInt(seq) !== previousSeq + 1n) report(seq, `gap: entry ${seq} follows entry ${previousSeq} (entries missing)`);
      if (row.prev_hash !== previousHash) report(seq, 'the previous hash does not match the previous entry (an entry was changed, removed or inserted)');
      if (row.digest !== row.hash) report(seq, 'the entry does not match its hash (it was changed)');
      previousSeq = BigInt(seq);
      previousHash = String(row.hash);
    }
    checked += rows.length;
    options.onProgress?.(checked, totalCount);
    if (rows.length < batchSize) break;
  }
  const [head] = await query(`SELECT seq::text AS seq, hash FROM audit_chain_head`);
  if (!head) {
    report('0', 'the chain head is missing');
  } else if (String(head.seq) !== previousSeq.toString() || head.hash !== previousHash) {
    report(String(head.seq), `the chain head (entry ${head.seq}) is not the last entry (${previousSeq}): entries were removed from the end`);
  }
  if (options.expectedHead) {
    const { seq, hash } = options.expectedHead;
    const [anchored] = await query(`SELECT hash FROM audit_entries WHERE seq = $1::bigint`, [seq]);
    if (!anchored) report(seq, `the recorded head ${seq} is no longer in the chain (entries were removed)`);
    else if (anchored.hash !== hash) report(seq, `entry ${seq} no longer has the recorded hash (the chain was rewritten)`);
  }
  return { entries: checked, pending: Number(pending), head: { seq: previousSeq.toString(), hash: previousHash }, ok: problems.length === 0, problems };
}
