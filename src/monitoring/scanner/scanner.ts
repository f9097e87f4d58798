import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { ChildRequest, PageOutcome } from './protocol.ts';

export interface ScannerOptions {
  /** Time limit of one page (navigation, measurement and axe), default 30 s. */
  pageTimeoutMs?: number;
  /** Chromium restarted every N pages (default 20). */
  restartEvery?: number;
  /** Heap of the child and of Chromium's JavaScript (MB, default 512). */
  memoryMb?: number;
  /** Pages larger than this (Content-Length) are not scanned (default 20 MB). */
  maxBytes?: number;
  allowedRanges?: string;
}

/**
 * Browser measurements and axe scans, out of Vigie's process: a child process drives Chromium; each page has a time
 * limit inside the child, and a watchdog here (twice the limit plus 10 s) kills the child's whole process group
 * (Chromium included) when it does not answer: a hostile page can neither hang nor crash Vigie, and is reported as such.
 */
export class BrowserScanner {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private nextId = 1;
  private pending = new Map<number, (outcome: PageOutcome) => void>();

  constructor(private readonly options: ScannerOptions = {}) {}

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const self = fileURLToPath(import.meta.url);
    const extension = path.extname(self);
    const memory = this.options.memoryMb ?? 512;
    const child = fork(path.join(path.dirname(self), `child${extension}`), [], {
      execArgv: [...(extension === '.ts' ? ['--import', 'tsx'] : []), `--max-old-space-size=${memory}`],
      // The child receives its settings through its environment, set here from the parent's (the kernel's configuration
      // read MONITORING_* at start): the allowed ranges are the parent's settings, not the variable read again.
      env: {
        ...process.env,
        SCANNER_RESTART_EVERY: String(this.options.restartEvery ?? 20),
        SCANNER_MEMORY_MB: String(memory),
        MONITORING_ALLOWED_RANGES: this.options.allowedRanges ?? '',
      },
      // Its own process group: the watchdog kills Chromium with it.
      detached: true,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.child = child;
    this.ready = new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.on('message', (message: { ready?: true; id?: number; outcome?: PageOutcome }) => {
        if (message.ready) return resolve();
        const done = this.pending.get(message.id!);
        if (done) {
          this.pending.delete(message.id!);
          done(message.outcome!);
        }
      });
      child.once('exit', () => {
        if (this.child === child) {
          this.child = null;
          this.ready = null;
        }
        for (const [id, done] of this.pending) {
          this.pending.delete(id);
          done({ ok: false, error: 'crash', errorMessage: 'le processus du navigateur s’est arrêté', notes: [] });
        }
        reject(new Error('scanner exited'));
      });
    });
    return this.ready;
  }

  private kill(): void {
    const child = this.child;
    if (!child?.pid) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }

  /** Measures and scans one page; never throws, never waits more than the watchdog. */
  async scan(url: string): Promise<PageOutcome> {
    const timeoutMs = this.options.pageTimeoutMs ?? 30_000;
    try {
      await this.start();
    } catch (error) {
      return { ok: false, error: 'crash', errorMessage: `navigateur indisponible : ${String(error).slice(0, 200)}`, notes: [] };
    }
    const id = this.nextId++;
    const request: ChildRequest = { id, url, timeoutMs, maxBytes: this.options.maxBytes ?? 20_000_000 };
    return new Promise<PageOutcome>((resolve) => {
      const watchdog = setTimeout(
        () => {
          this.pending.delete(id);
          this.kill();
          resolve({
            ok: false,
            error: 'killed',
            errorMessage: `la page n’a pas répondu en ${Math.round((2 * timeoutMs + 10_000) / 1000)} s : navigateur arrêté`,
            notes: [],
          });
        },
        2 * timeoutMs + 10_000,
      );
      this.pending.set(id, (outcome) => {
        clearTimeout(watchdog);
        resolve(outcome);
      });
      this.child!.send(request);
    });
  }

  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.disconnect();
    const timer = setTimeout(() => this.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }
}
