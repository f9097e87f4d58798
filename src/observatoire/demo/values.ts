import { createHash } from 'node:crypto';

/** A stable pseudo-random number in [0, 1): demo values are the same on every machine. */
export function unit(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The values a team would have entered for one procedure before an edition (0 = oldest) for the indicators that no
 * module computes yet: each procedure has its own level and drifts a little from one edition to the next. The
 * feedback indicators are not here: the feedback module computes them from the demo's reviews. `usage` is the
 * catalogue's online share (volume online ÷ total).
 */
export function demoValues(stableId: string, edition: number, online: string, usage: string | null = null): Record<string, string> {
  const base = (k: string) => unit(`${stableId}:${k}`);
  const drift = (k: string) => (unit(`${stableId}:${k}:${edition}`) - 0.4) * 0.15;
  const q = (k: string) => Math.max(0, Math.min(1, base(k) * 0.6 + 0.4 + drift(k) + edition * 0.02));
  const notOnline = online === 'non';
  const v: Record<string, string> = {
    handicap: base('audit') < 0.15 ? '0' : String(Math.min(100, Math.round(30 + q('handicap') * 75))),
    dlnuf: base('dlnuf') < 0.1 ? 'non_applicable' : String(Math.max(0, Math.round(base('dlnuf') * 7 - edition))),
    usage: notOnline ? '0' : (usage ?? String(round1(35 + q('usage') * 65))),
    uptime: notOnline ? 'a_venir' : String(Math.min(100, Math.round((97.8 + q('uptime') * 2.3) * 100) / 100)),
    performance: notOnline ? 'a_venir' : String(Math.round(250 + (1 - q('performance')) * 900)),
  };
  return v;
}

/**
 * Illustrative feedback values without reviews behind them, for the benchmark's large synthetic catalogues only (the
 * demo computes its feedback figures from its reviews).
 */
export function illustrativeFeedbackValues(stableId: string, edition: number): Record<string, string> {
  const base = (k: string) => unit(`${stableId}:${k}`);
  const drift = (k: string) => (unit(`${stableId}:${k}:${edition}`) - 0.4) * 0.15;
  const q = (k: string) => Math.max(0, Math.min(1, base(k) * 0.6 + 0.4 + drift(k) + edition * 0.02));
  const reviews = base('reviews') < 0.12 ? 'avis_insuffisants' : null;
  return {
    satisfaction: reviews ?? String(round1(q('satisfaction') * 10)),
    simplicity: reviews ?? String(round1(q('simplicity') * 10)),
    help_reachable: reviews ?? String(round1(55 + q('reach') * 45)),
    help_efficient: reviews ?? String(round1(q('efficient') * 10)),
    help_used: reviews ?? String(round1(40 + base('used') * 50)),
  };
}
