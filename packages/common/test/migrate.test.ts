import { MigrationInterface, QueryRunner } from 'typeorm';
import { checkReady, createDataSource, createLogger, createTestDatabase, migrate, TestDatabase } from '../src';

class CreateWidgets1700000000000 implements MigrationInterface {
  name = 'CreateWidgets1700000000000';
  async up(db: QueryRunner): Promise<void> {
    await db.query('SELECT pg_sleep(0.2)');
    await db.query('CREATE TABLE widgets (id int PRIMARY KEY)');
  }
  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE widgets');
  }
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('migrate');
});
afterAll(() => db?.drop());

const owner = () =>
  createDataSource({ url: db.ownerUrl, applicationName: 'migrate-test', entities: [], migrations: [CreateWidgets1700000000000], poolSize: 1 });

describe('migrations', () => {
  it('are applied once when several replicas start at the same time, and leave the app role read-only on the migrations table', async () => {
    const app = createDataSource({ url: db.appUrl, applicationName: 'ready-test', entities: [], migrations: [CreateWidgets1700000000000] });
    await app.initialize();
    const replicas = [owner(), owner(), owner()];
    try {
      expect(await checkReady(app)).toEqual({ ready: false, reason: 'migrations pending' });
      await Promise.all(replicas.map((r) => r.initialize()));
      await Promise.all(replicas.map((r) => migrate(r, createLogger('test'))));
      expect(await app.query('SELECT name FROM migrations')).toEqual([{ name: 'CreateWidgets1700000000000' }]);
      expect(await checkReady(app)).toEqual({ ready: true });
      await expect(app.query(`DELETE FROM migrations`)).rejects.toThrow(/permission denied/);
    } finally {
      await Promise.all(replicas.map((r) => r.destroy()));
      await app.destroy();
    }
  });
});
