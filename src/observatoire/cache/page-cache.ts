import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gunzip, gzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { currentGeneration } from './public-cache.ts';

/**
 * Rendered public pages of published editions (immutable but for corrections), kept in memory per database: keyed by
 * the edition and its normalised query, with a weak ETag (304 on If-None-Match), kept only compressed (brotli and gzip,
 * about 25 KB each for 50 rows instead of 350 KB of HTML; the rare client that accepts neither gets it inflated from
 * the gzip copy), and a bounded LRU (entries and bytes).
 *
 * Only anonymous visitors are served from it: a signed-in visitor's page carries their name and a CSRF token, and is
 * rendered for them. A page that depends on anything else than the key (a flash notice, an error) is not stored.
 *
 * Invalidation, on this server and across servers: an entry belongs to the public-data generation of this process
 * (public-cache.ts) and is dropped when the generation moves: at once after a publication, correction, rule or
 * indicator change made here (`bumpPublicCache`), and within about a second when another server changes public data
 * (the database's `obs_public_version`, bumped by triggers, read by `syncPublicVersion`). TTL_MS is a backstop.
 */
export const PAGE_CACHE_LIMITS = { maxEntries: 300, maxBytes: 48 * 1024 * 1024, ttlMs: 10 * 60_000 };

type Encoding = 'br' | 'gzip' | 'identity';

interface Entry {
  generation: number;
  storedAt: number;
  status: number;
  etag: string;
  bodies: { br: Buffer; gzip: Buffer };
  bytes: number;
}

interface State {
  generation: number;
  entries: Map<string, Entry>;
  bytes: number;
  /** Renders under way, by key: a burst of misses on one page renders it once. */
  rendering: Map<string, Promise<Entry | null>>;
}

const states = new WeakMap<object, State>();

function state(db: object): State {
  const generation = currentGeneration(db);
  let s = states.get(db);
  if (!s || s.generation !== generation) {
    s = { generation, entries: new Map(), bytes: 0, rendering: new Map() };
    states.set(db, s);
  }
  return s;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

function encodingFor(request: FastifyRequest): Encoding {
  const accepted = String(request.headers['accept-encoding'] ?? '');
  return /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : 'identity';
}

/** Both encodings, on the thread pool, once per page (brotli 9: smaller than gzip on repeated markup). */
async function compress(body: Buffer): Promise<{ br: Buffer; gzip: Buffer }> {
  const [br, gz] = await Promise.all([
    brotli(body, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: 9,
        [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
        [zlib.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
    gzipAsync(body, { level: 9 }),
  ]);
  return { br, gzip: gz };
}

function evict(s: State): void {
  while (s.entries.size > PAGE_CACHE_LIMITS.maxEntries || (s.bytes > PAGE_CACHE_LIMITS.maxBytes && s.entries.size > 0)) {
    const [key, oldest] = s.entries.entries().next().value!;
    s.entries.delete(key);
    s.bytes -= oldest.bytes;
  }
}

function lookup(s: State, key: string): Entry | null {
  const entry = s.entries.get(key);
  if (!entry) return null;
  s.entries.delete(key);
  if (Date.now() - entry.storedAt > PAGE_CACHE_LIMITS.ttlMs) {
    s.bytes -= entry.bytes;
    return null;
  }
  // Most recently used last: the first entry of the map is the first to go.
  s.entries.set(key, entry);
  return entry;
}

function ifNoneMatch(request: FastifyRequest, etag: string): boolean {
  const header = request.headers['if-none-match'];
  if (!header) return false;
  return String(header)
    .split(',')
    .some((tag) => {
      const t = tag.trim();
      return t === '*' || t === etag || t === etag.slice(2) || `W/${t}` === etag;
    });
}

/** Whether this request may be answered from, and stored in, the page cache. */
export function cacheablePageRequest(request: FastifyRequest): boolean {
  return !request.user && (request.method === 'GET' || request.method === 'HEAD');
}

/**
 * Answers a public page from the cache, or renders it once with `render` (the page's HTML for an anonymous visitor
 * and its status; null when the page must not be stored), stores it and answers. The caller has checked
 * `cacheablePageRequest` and normalised the key. Returns false when `render` declined: the caller sends its own answer.
 * (A boolean, not the reply: a reply is a thenable, which `await` would wait on and turn into undefined.)
 */
export async function sendCachedPage(
  db: object,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  render: () => Promise<{ status: number; html: string } | null>,
): Promise<boolean> {
  let s = state(db);
  let entry = lookup(s, key);
  if (!entry) {
    let pending = s.rendering.get(key);
    if (!pending) {
      const generation = s.generation;
      const rendering = s.rendering;
      pending = render()
        .then(async (page): Promise<Entry | null> => {
          if (!page) return null;
          const identity = Buffer.from(page.html, 'utf8');
          const etag = `W/"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
          const bodies = await compress(identity);
          return { generation, storedAt: Date.now(), status: page.status, etag, bodies, bytes: bodies.br.length + bodies.gzip.length };
        })
        .finally(() => rendering.delete(key));
      rendering.set(key, pending);
    }
    entry = await pending;
    if (!entry) return false;
    s = state(db);
    // Rendered from data older than a bump that happened meanwhile: served to this request only.
    if (entry.generation === s.generation && !s.entries.has(key)) {
      s.entries.set(key, entry);
      s.bytes += entry.bytes;
      evict(s);
    }
  }
  reply
    .code(entry.status)
    .header('etag', entry.etag)
    // Anyone may keep it but must ask again (304 when unchanged); a signed-in visitor gets another page at this address.
    .header('cache-control', 'no-cache')
    .header('vary', 'cookie, accept-encoding');
  if (entry.status === 200 && ifNoneMatch(request, entry.etag)) {
    reply.code(304).send();
    return true;
  }
  const encoding = encodingFor(request);
  const body = encoding === 'identity' ? await gunzipAsync(entry.bodies.gzip) : entry.bodies[encoding];
  reply.type('text/html; charset=utf-8');
  // @fastify/compress leaves an answer that already has a content-encoding alone.
  if (encoding !== 'identity') reply.header('content-encoding', encoding);
  reply.send(body);
  return true;
}

/** Entries and bytes held for this database (tests, metrics). */
export function pageCacheSize(db: object): { entries: number; bytes: number } {
  const s = state(db);
  return { entries: s.entries.size, bytes: s.bytes };
}
