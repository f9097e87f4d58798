import type { Queryable } from '../../kernel/db/db.ts';
import { ingestFirstSteps, type FirstStep, type FirstStepOutcome } from './first-steps.ts';

interface Pending {
  step: FirstStep;
  resolve(outcome: FirstStepOutcome): void;
  reject(error: unknown): void;
}

/**
 * Group commit of the usual first steps. A submission is written at once when fewer than `maxInFlight` batches are
 * being written (no timer: at low load nothing waits); otherwise it queues, and the queue is written as one batch
 * (at most `maxBatch`) as soon as a batch in flight completes. One batch in flight by default: measured under 20
 * connections, batches of about 10 and 7 500-7 900 submissions/s, against batches of about 5 and 6 600-7 100/s with
 * two; a batch takes about a millisecond (one commit), so the wait it adds stays far below the latency target. Each
 * caller gets its outcome only once the statement that holds its row has committed. Steps are validated before they
 * get here; if a batch still fails (a database error), its steps are written again one by one, so that one bad row
 * fails alone.
 */
export class FirstStepBatcher {
  private readonly queue: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly db: Queryable,
    private readonly options: { maxBatch?: number; maxInFlight?: number } = {},
  ) {}

  submit(step: FirstStep): Promise<FirstStepOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ step, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    const maxInFlight = this.options.maxInFlight ?? 1;
    while (this.queue.length > 0 && this.inFlight < maxInFlight) {
      const batch = this.take();
      this.inFlight++;
      void this.write(batch);
    }
  }

  /** The next batch: queue order, a nonce already in the batch waits for the next one (nonces are unique per batch). */
  private take(): Pending[] {
    const maxBatch = this.options.maxBatch ?? 64;
    const batch: Pending[] = [];
    const nonces = new Set<string>();
    for (let i = 0; i < this.queue.length && batch.length < maxBatch; ) {
      const p = this.queue[i];
      if (nonces.has(p.step.review.nonce)) {
        i++;
        continue;
      }
      nonces.add(p.step.review.nonce);
      batch.push(p);
      this.queue.splice(i, 1);
    }
    return batch;
  }

  /** Writes a batch and frees its slot (exactly once), then answers its submitters. */
  private async write(batch: Pending[]): Promise<void> {
    let outcomes: FirstStepOutcome[] | null = null;
    let failure: unknown = null;
    try {
      outcomes = await ingestFirstSteps(
        this.db,
        batch.map((p) => p.step),
      );
    } catch (error) {
      failure = error;
    }
    if (outcomes) {
      // The next batch leaves before these submitters are answered: answering them takes Node time (about 0.2 ms each)
      // that the database need not wait for.
      this.finished();
      for (const [i, p] of batch.entries()) p.resolve(outcomes[i]);
      return;
    }
    if (batch.length === 1) batch[0].reject(failure);
    else {
      for (const p of batch) {
        try {
          p.resolve((await ingestFirstSteps(this.db, [p.step]))[0]);
        } catch (single) {
          p.reject(single);
        }
      }
    }
    this.finished();
  }

  private finished(): void {
    this.inFlight--;
    this.pump();
  }
}
