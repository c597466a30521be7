import fs from 'node:fs';
import { RunningPostgres } from '../db/embedded';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__integrationGraphTest as
    | { workDir: string; postgres?: RunningPostgres }
    | undefined;
  if (!state) return;
  await state.postgres?.stop();
  fs.rmSync(state.workDir, { recursive: true, force: true });
}
