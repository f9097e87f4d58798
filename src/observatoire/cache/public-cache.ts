import type { Queryable } from '../../kernel/db/db.ts';
import { forgetIndicators } from '../rules/repository.ts';

/**
 * Answers of the public API kept in memory for a short while, per database. Published editions only change through
 * a publication, a correction or a rule/indicator edit, each of which calls `bumpPublicCache(db)` after its commit.
 *
 * Across servers: every statement that changes what public pages read bumps `obs_public_version` in the database
 * (triggers, migration 0310). `syncPublicVersion` reads it at most once per `everyMs` (the configuration's `publicCacheCheckMs`) and, when it moved, bumps this
 * process's generation: the API answers, the remembered values, the rendered pages (page-cache.ts, which checks the
 * generation) and the indicator definitions (rules/repository.ts) are dropped. Another server's change is thus seen
 * within about a second; TTL_MS stays as a backstop.
 */
const TTL_MS = 60_000;
const MAX_ENTRIES = 200;

interface Entry {
  generation: number;
  storedAt: number;
  /** The answer's text, or its UTF-8 bytes (kept off the JavaScript heap: fewer garbage collections). */
  text: string | Buffer;
  etag: string;
}

interface State {
  generation: number;
  /** `obs_public_version` when last read (null: never read), when, and the read under way. */
  dbVersion: string | null;
  checkedAt: number;
  checking: Promise<void> | null;
  entries: Map<string, Entry>;
  /** Values derived from published data (an edition resolved from the URL), kept under the same rules as answers. */
  remembered: Map<string, { storedAt: number; value: Promise<unknown> }>;
}

const states = new WeakMap<object, State>();

function state(db: object): State {
  let s = states.get(db);
  if (!s) {
    s = { generation: 0, dbVersion: null, checkedAt: 0, checking: null, entries: new Map(), remembered: new Map() };
    states.set(db, s);
  }
  return s;
}

export function bumpPublicCache(db: object): void {
  const s = state(db);
  s.generation++;
  s.entries.clear();
  s.remembered.clear();
}

/**
 * `compute()` once per key until the next bump (or TTL_MS), e.g. which edition `latest` is: a value computed while a
 * bump happens is dropped with the others. A failed computation is not kept.
 */
export function remember<T>(db: object, key: string, compute: () => Promise<T>): Promise<T> {
  const s = state(db);
  const hit = s.remembered.get(key);
  if (hit && Date.now() - hit.storedAt <= TTL_MS) return hit.value as Promise<T>;
  const value = compute();
  const map = s.remembered;
  map.set(key, { storedAt: Date.now(), value });
  value.catch(() => map.delete(key));
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value!);
  return value;
}

/**
 * Reads the database's public version when the last read is older than `everyMs` (one tiny query; concurrent requests
 * share it) and drops everything public kept in memory when another server (or this one) changed public data since.
 * Resolves at once between checks. A failed read keeps the caches (the next read compares with the last value seen).
 */
export function syncPublicVersion(db: Queryable, everyMs: number): Promise<void> {
  const s = state(db);
  if (s.checking) return s.checking;
  if (s.dbVersion !== null && Date.now() - s.checkedAt < everyMs) return Promise.resolve();
  const started = Date.now();
  s.checking = db
    .query<{ version: string }>('SELECT version FROM obs_public_version')
    .then(({ rows }) => {
      const version = String(rows[0]?.version ?? '');
      if (s.dbVersion !== null && version !== s.dbVersion) {
        forgetIndicators(db);
        bumpPublicCache(db);
      }
      s.dbVersion = version;
    })
    .catch(() => undefined)
    .finally(() => {
      s.checkedAt = started;
      s.checking = null;
    });
  return s.checking;
}

export function currentGeneration(db: object): number {
  return state(db).generation;
}

export function cachedAnswer(db: object, url: string): Entry | null {
  const s = state(db);
  const entry = s.entries.get(url);
  if (!entry) return null;
  if (entry.generation !== s.generation || Date.now() - entry.storedAt > TTL_MS) {
    s.entries.delete(url);
    return null;
  }
  // Most recently used last: the oldest entry is the first to go.
  s.entries.delete(url);
  s.entries.set(url, entry);
  return entry;
}

/** Stores an answer computed under `computedAt` (the generation when the request started): a bump meanwhile wins. */
export function storeAnswer(db: object, url: string, computedAt: number, text: string | Buffer, etag: string): void {
  const s = state(db);
  if (computedAt !== s.generation) return;
  s.entries.set(url, { generation: s.generation, storedAt: Date.now(), text, etag });
  if (s.entries.size > MAX_ENTRIES) s.entries.delete(s.entries.keys().next().value!);
}
