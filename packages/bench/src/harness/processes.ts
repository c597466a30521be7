import { ChildProcess, spawn } from 'node:child_process';
import readline from 'node:readline';
import { REPOSITORY_ROOT } from '@integration-graph/common';

/** A Node process the benchmark started besides the platform (references, stubs), with its last lines for errors. */
export interface BenchProcess {
  name: string;
  pid: number;
  lastLines: string[];
  stop(): Promise<void>;
}

/** Starts `node <entry>` (relative to the repository) and waits until `readyUrl` answers 2xx. */
export async function startProcess(
  name: string,
  entry: string,
  env: Record<string, string>,
  readyUrl: string,
  onLine: (process: string, line: string) => void = () => undefined,
  timeoutMs = 60_000,
): Promise<BenchProcess> {
  const child: ChildProcess = spawn(process.execPath, [entry], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, ...env, PLATFORM_PARENT_PID: String(process.pid) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lastLines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    readline.createInterface({ input: stream }).on('line', (line) => {
      lastLines.push(line);
      if (lastLines.length > 30) lastLines.shift();
      onLine(name, line);
    });
  }
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code) => {
      exitCode = code;
      resolve();
    }),
  );
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`${name} exited (code ${exitCode}) before it was ready:\n${lastLines.join('\n')}`);
    try {
      const response = await fetch(readyUrl, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return { name, pid: child.pid!, lastLines, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await stop();
  throw new Error(`${name} was not ready at ${readyUrl} within ${timeoutMs / 1000}s:\n${lastLines.join('\n')}`);
}
