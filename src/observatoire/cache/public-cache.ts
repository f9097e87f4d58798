/**
 * Answers of the public API kept in memory for a short while, per database. Published editions only change through
 * a publication, a correction or a rule/indicator edit, each of which calls `bumpPublicCache(db)` after its commit;
 * other Vigie processes (if any) see the change within TTL_MS, well inside the `Cache-Control: max-age` the API
 * already announces to its clients.
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
  entries: Map<string, Entry>;
  /** Values derived from published data (an edition resolved from the URL), kept under the same rules as answers. */
  remembered: Map<string, { storedAt: number; value: Promise<unknown> }>;
}

const states = new WeakMap<object, State>();

function state(db: object): State {
  let s = states.get(db);
  if (!s) {
    s = { generation: 0, entries: new Map(), remembered: new Map() };
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
