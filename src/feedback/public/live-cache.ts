import type { LiveButton } from '../forms/queries.ts';

/**
 * Live buttons by public key, kept a few seconds for first-step submissions (the hot path), so that most of them need
 * no button lookup. The cache is only a hint: the statement that stores a review re-checks in the database that the
 * button is still open, its form not deleted and the cached version still the published one, and the caller drops
 * the entry and reloads when it is not. What may be a few seconds old is only display text (procedure title).
 * Across servers: not invalidated; a button closed on another server is refused by that database check at once, and
 * its entry here expires within `ttlMs` (5 s).
 */
export class LiveButtonCache {
  private readonly entries = new Map<string, { live: LiveButton; until: number }>();

  constructor(
    private readonly ttlMs = 5_000,
    private readonly maxEntries = 10_000,
  ) {}

  get(publicKey: string, now = Date.now()): LiveButton | null {
    const entry = this.entries.get(publicKey);
    if (!entry) return null;
    if (entry.until <= now) {
      this.entries.delete(publicKey);
      return null;
    }
    return entry.live;
  }

  set(publicKey: string, live: LiveButton, now = Date.now()): void {
    // Bounded memory whatever keys are sent: starting over is cheap (one lookup per key).
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(publicKey, { live, until: now + this.ttlMs });
  }

  forget(publicKey: string): void {
    this.entries.delete(publicKey);
  }
}
