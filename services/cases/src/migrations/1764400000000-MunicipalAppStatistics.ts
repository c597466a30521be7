import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The municipal app (issue 7, role `municipal_app`) sees its own municipality's figures and the district's
 * distribution, both computed from the aggregates the statistics functions return (migration 1764300000000). They
 * now answer it too. What leaves the subgraph is decided in src/statistics/resolvers.ts: its own municipality's (or
 * organisation's) figures only, distributions over the genuine municipalities of its district and only when enough
 * of them count; never another municipality's or provider's figures.
 */
export class MunicipalAppStatistics1764400000000 implements MigrationInterface {
  name = 'MunicipalAppStatistics1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION app_may_see_statistics() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT app_has_role('coordinator') OR app_has_role('lead') OR app_has_role('caseworker') OR app_has_role('org_admin')
          OR app_has_role('municipal_app')
      $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION app_may_see_statistics() RETURNS boolean LANGUAGE sql STABLE AS $$
        SELECT app_has_role('coordinator') OR app_has_role('lead') OR app_has_role('caseworker') OR app_has_role('org_admin')
      $$`);
  }
}
