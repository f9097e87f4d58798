import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Servers still running: killed if the benchmark stops early, so that none outlives it. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface ServerProcess {
  child: ChildProcess;
  origin: string;
  /** Milliseconds from spawn to the first `GET /` answered 200. */
  firstPageMs: number;
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The Node flags `npm start` uses (package.json): benchmarks measure the server as it runs. */
export const SERVE_NODE_ARGS = ['--max-semi-space-size=4'];

let built = false;

/** Compiles the sources to dist/ as `npm start` does (scripts/build.js); returns the milliseconds it took. */
export function buildDist(force = false): number {
  const started = performance.now();
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.js'), ...(force ? ['--force'] : [])], { cwd: ROOT, stdio: 'inherit' });
  built = true;
  return performance.now() - started;
}

/** Spawns `node bin/vigie.js serve` on loopback and waits (at most `timeoutMs`) for its home page. */
export async function startServer(
  env: Record<string, string>,
  options: { nodeArgs?: string[]; timeoutMs?: number } = {},
): Promise<ServerProcess> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  if (!built) buildDist();
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let output = '';
  const started = performance.now();
  const child = spawn(process.execPath, [...SERVE_NODE_ARGS, ...(options.nodeArgs ?? []), path.join(ROOT, 'bin/vigie.js'), 'serve'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: origin,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => live.delete(child));
  let alive = true;
  void exited.then(() => (alive = false));

  const stop = async () => {
    if (!alive) return;
    child.kill('SIGTERM');
    const killed = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
    if (!killed) {
      child.kill('SIGKILL');
      await exited;
    }
  };

  while (true) {
    if (!alive) throw new Error(`the server exited before serving a page:\n${output}`);
    if (performance.now() - started > timeoutMs) {
      await stop();
      throw new Error(`no page after ${timeoutMs} ms:\n${output}`);
    }
    try {
      const res = await fetch(`${origin}/`, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  const firstPageMs = performance.now() - started;
  return { child, origin, firstPageMs, output: () => output, stop };
}

/** Resident memory of a process in MB (Linux /proc), or null elsewhere. */
export function rssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
