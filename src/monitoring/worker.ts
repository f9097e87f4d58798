import type { Db } from '../kernel/db/db.ts';
import type { Mailer } from '../kernel/mail/mailer.ts';
import { claimDue, ensureLocation, recordProbes, scheduleMissing, type Claimed, type ProbeRecord } from './engine.ts';
import { notifyIncidents } from './mails.ts';
import { probe, type ProbeOptions, type ProbeResult } from './probe.ts';
import type { MonitoringSettings } from './settings.ts';

export interface WorkerOptions {
  location: string;
  /** Probes in flight at once (default 32). */
  concurrency?: number;
  /** How often due probes are claimed (default 1 000 ms). */
  tickMs?: number;
  /** Extra probe options (tests: a resolver, a CA). */
  probeOptions?: Partial<ProbeOptions>;
  /** Clock (tests). */
  now?: () => Date;
  /** Timers that do not keep the process alive (the server's own worker). */
  unref?: boolean;
  /**
   * Probes finished within this time are recorded together, in one transaction of a fixed number of statements
   * (default 200 ms; a probe's figures wait that long at most before they are written).
   */
  batchMs?: number;
}

/**
 * A probe worker: claims the due probes of its location, runs them (a failure is tried a second time at once, and only
 * the second result counts), records them and mails incident changes. Several workers (processes, machines) share
 * one database; each probe is claimed by exactly one of a location's workers.
 */
export class ProbeWorker {
  private timer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private running = new Set<Promise<void>>();
  private ticking = false;
  /** Probes waiting to be recorded, and the promise of their batch (resolved once written and mailed). */
  private pending: ProbeRecord[] = [];
  private pendingWritten: Promise<void> | null = null;
  /** The batch being written: the next one waits for it (one transaction at a time per worker). */
  private writing: Promise<void> = Promise.resolve();
  probesDone = 0;
  /** Batches written (each one transaction): probesDone ÷ batchesWritten is the mean batch. */
  batchesWritten = 0;

  constructor(
    private readonly deps: { db: Db; mailer: Mailer; publicUrl: string; settings: MonitoringSettings },
    private readonly options: WorkerOptions,
  ) {}

  private now(): Date {
    return this.options.now ? this.options.now() : new Date();
  }

  async start(): Promise<void> {
    await ensureLocation(this.deps.db, this.options.location, this.now());
    // Every minute: the heartbeat, and schedule rows for the targets created since the previous one (5 minutes of margin
    // for clocks and slow transactions); the start above looked at every target.
    let previous = Date.now();
    this.heartbeat = setInterval(() => {
      const since = new Date(previous - 5 * 60_000);
      previous = Date.now();
      void ensureLocation(this.deps.db, this.options.location, this.now(), since).catch(() => {});
    }, 60_000);
    this.timer = setInterval(() => void this.tick().catch(() => {}), this.options.tickMs ?? 1000);
    if (this.options.unref) {
      this.timer.unref();
      this.heartbeat.unref();
    }
  }

  /**
   * Claims what is due now (bounded by the free slots) and starts it without waiting: a slow page never delays the
   * next claim. The promise resolves when the probes claimed by this call are recorded (tests wait for it).
   */
  async tick(): Promise<number> {
    if (this.ticking) return 0;
    this.ticking = true;
    let batch: Promise<void>[] = [];
    try {
      const free = (this.options.concurrency ?? 32) - this.running.size;
      if (free <= 0) return 0;
      const claimed = await claimDue(this.deps.db, this.options.location, free, this.now());
      batch = claimed.map((c) => this.track(this.runOne(c)));
    } finally {
      this.ticking = false;
    }
    await Promise.all(batch);
    return batch.length;
  }

  private track(p: Promise<void>): Promise<void> {
    const tracked = p.catch(() => {}).finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    return tracked;
  }

  async runOne(c: Claimed): Promise<void> {
    const options: ProbeOptions = {
      expectedStatus: c.expectedStatus,
      expectedText: c.expectedText,
      timeoutMs: this.deps.settings.timeoutMs,
      allowed: this.deps.settings.allowed,
      ...this.options.probeOptions,
    };
    let result: ProbeResult = await probe(c.url, options);
    let retried = false;
    if (!result.ok && result.errorClass !== 'forbidden') {
      // Confirmation: a failure counts only if a second attempt fails too.
      retried = true;
      result = await probe(c.url, options);
    }
    // A test clock stamps the probe with its time.
    if (this.options.now) result = { ...result, startedAt: this.now() };
    this.probesDone++;
    await this.record({ targetId: c.targetId, location: this.options.location, dueAt: c.dueAt, result, retried });
  }

  /** Adds a probe to the next batch; resolves when that batch is written (and its incident mails sent). */
  private record(r: ProbeRecord): Promise<void> {
    this.pending.push(r);
    if (!this.pendingWritten) {
      const linger = new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.options.batchMs ?? 200);
        if (this.options.unref) t.unref();
      });
      const written = Promise.all([this.writing, linger]).then(async () => {
        const batch = this.pending;
        this.pending = [];
        this.pendingWritten = null;
        const events = await recordProbes(this.deps.db, batch, this.deps.settings);
        this.batchesWritten++;
        if (events.length) await notifyIncidents(this.deps.db, this.deps.mailer, this.deps.publicUrl, events);
      });
      this.pendingWritten = written;
      this.writing = written.catch(() => {});
    }
    return this.pendingWritten;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    await Promise.all([...this.running]);
  }
}

export { scheduleMissing };
