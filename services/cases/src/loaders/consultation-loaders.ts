import { isUuid, LoaderFactory } from '@integration-graph/common';
import DataLoader from 'dataloader';
import { Consultation } from '../entities/consultation';

export interface FirstPage {
  rows: Consultation[];
  totalCount: number;
}

/**
 * The newest `first` (+1, to know whether more follow) consultations of many cases at once, with each case's
 * total: one SELECT for a whole list of cases, whatever its size. Keys are "caseId:first".
 */
export const consultationsFirstPage: LoaderFactory<string, FirstPage> = (context) =>
  new DataLoader(async (keys) => {
    const manager = await context.tx.manager();
    const parsed = keys.map((key) => {
      const [caseId, first] = key.split(':');
      return { caseId, first: Number(first) };
    });
    const limit = Math.max(...parsed.map((p) => p.first)) + 1;
    const rows: (Record<string, unknown> & { total: string; case_id: string })[] = await manager.query(
      `SELECT * FROM (
         SELECT k.*, row_number() OVER (PARTITION BY k.case_id ORDER BY date_trunc('milliseconds', k.occurred_at) DESC, k.id DESC) AS position,
                count(*) OVER (PARTITION BY k.case_id) AS total
           FROM consultations k WHERE k.case_id = ANY($1::uuid[])
       ) ranked WHERE position <= $2 ORDER BY case_id, position`,
      [parsed.map((p) => p.caseId).filter(isUuid), limit],
    );
    const metadata = manager.connection.getMetadata(Consultation);
    const byCase = new Map<string, { rows: Consultation[]; total: number }>();
    for (const row of rows) {
      const entity = manager.create(Consultation, {});
      for (const column of metadata.columns) {
        (entity as unknown as Record<string, unknown>)[column.propertyName] = row[column.databaseName];
      }
      const entry = byCase.get(row.case_id) ?? { rows: [], total: Number(row.total) };
      entry.rows.push(entity);
      byCase.set(row.case_id, entry);
    }
    return parsed.map(({ caseId, first }) => {
      const entry = byCase.get(caseId);
      return { rows: entry ? entry.rows.slice(0, first + 1) : [], totalCount: entry?.total ?? 0 };
    });
  });
