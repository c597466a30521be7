import { Client } from 'pg';
import { createDataSource, createTestDatabase, provisionDatabase, RequestTransaction, TestDatabase, withScope } from '../src';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('common');
});
afterAll(() => db?.drop());

describe('database provisioning', () => {
  it('is idempotent and gives the application role no way around row-level security', async () => {
    await provisionDatabase(db.adminUrl, db.plan);
    const admin = new Client({ connectionString: db.adminUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        `SELECT rolname, rolbypassrls, rolsuper, rolcreaterole FROM pg_roles WHERE rolname = ANY($1) ORDER BY rolname`,
        [[db.plan.appRole, db.plan.ownerRole]],
      );
      expect(rows).toEqual([
        { rolname: db.plan.appRole, rolbypassrls: false, rolsuper: false, rolcreaterole: false },
        { rolname: db.plan.ownerRole, rolbypassrls: true, rolsuper: false, rolcreaterole: false },
      ]);
      const owner = await admin.query(`SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1`, [db.plan.database]);
      expect(owner.rows[0].owner).toBe(db.plan.ownerRole);
    } finally {
      await admin.end();
    }
  });

  it('lets the application role use tables the owner creates, but not create its own', async () => {
    const owner = new Client({ connectionString: db.ownerUrl });
    await owner.connect();
    await owner.query('CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text)');
    await owner.end();
    const app = new Client({ connectionString: db.appUrl });
    await app.connect();
    try {
      await app.query(`INSERT INTO notes (body) VALUES ('x')`);
      expect((await app.query('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBeGreaterThan(0);
      await expect(app.query('CREATE TABLE mine (id int)')).rejects.toThrow(/permission denied/);
    } finally {
      await app.end();
    }
  });
});

describe('request transaction', () => {
  const dataSource = createDataSource({ url: '', applicationName: 'test', entities: [], poolSize: 1 });
  const setting = async (name: string) =>
    (await dataSource.query(`SELECT current_setting($1, true) AS value`, [name]))[0].value as string | null;

  beforeAll(async () => {
    dataSource.setOptions({ url: db.appUrl });
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  it('sets the caller’s scope for the transaction only: nothing leaks to the next user of the pooled connection', async () => {
    const seen = await withScope(dataSource, { organizationId: '1f0e4a8e-7c51-4d3b-9f1c-0a8d2b6c4e11', userId: 'u1', roles: ['lead', 'caseworker'] }, (m) =>
      m.query(`SELECT current_setting('app.org_id', true) AS org, current_setting('app.roles', true) AS roles, current_setting('app.user_id', true) AS "user"`),
    );
    expect(seen).toEqual([{ org: '1f0e4a8e-7c51-4d3b-9f1c-0a8d2b6c4e11', roles: 'lead,caseworker', user: 'u1' }]);
    // Pool size 1: this runs on the very same connection.
    expect([null, '']).toContain(await setting('app.org_id'));
    expect([null, '']).toContain(await setting('app.roles'));
  });

  it('commits on success and rolls back on failure, opening nothing when unused', async () => {
    const ok = new RequestTransaction(dataSource, { organizationId: null, userId: null, roles: [] });
    await (await ok.manager()).query(`INSERT INTO notes (body) VALUES ('kept')`);
    await ok.finish(true);
    const failed = new RequestTransaction(dataSource, { organizationId: null, userId: null, roles: [] });
    await (await failed.manager()).query(`INSERT INTO notes (body) VALUES ('dropped')`);
    await failed.finish(false);
    const bodies = (await dataSource.query(`SELECT body FROM notes WHERE body IN ('kept', 'dropped')`)).map((r: { body: string }) => r.body);
    expect(bodies).toEqual(['kept']);
    const unused = new RequestTransaction(dataSource, { organizationId: null, userId: null, roles: [] });
    await unused.finish(true);
    expect(unused.started).toBe(false);
    await expect(unused.manager()).rejects.toThrow(/already finished/);
  });
});
