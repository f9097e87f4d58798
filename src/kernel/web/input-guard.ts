/**
 * The input guard: bad input is refused with a 400 and a clear French message before any route, validation or query
 * sees it — a NUL byte, bytes that are not UTF-8 (after percent-decoding), a key naming an object's prototype
 * (`__proto__`, `constructor`, `prototype`) in the query string or a body, JSON nested deeper than MAX_JSON_DEPTH.
 * It runs in the first `onRequest` hook (URL) and in the body parsers (forms, JSON), so it comes before the route's
 * access check and its schema validation. Routes still look values up with `Object.hasOwn` / `Map` (see `own`):
 * a prototype name in a *value* (`?option=constructor:x`) is valid input, refused by the route as unknown.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parse as parseQuery } from 'node:querystring';

/** JSON deeper than this is refused before parsing: nothing Vigie accepts nests more than a few levels. */
export const MAX_JSON_DEPTH = 32;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A refusal of the request's input: the error handler answers 400 with this title and message. */
export class BadInputError extends Error {
  readonly statusCode = 400;
  readonly code = 'VIGIE_BAD_INPUT';
  constructor(
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

const NOTHING_SAVED = ' Rien n’a été enregistré.';
export const nulByte = () =>
  new BadInputError(
    'Caractère interdit',
    'La requête contient un caractère nul (%00), qui n’est accepté dans aucun champ : retirez-le.' + NOTHING_SAVED,
  );
export const invalidUtf8 = () =>
  new BadInputError(
    'Texte invalide',
    'Le texte envoyé contient des caractères invalides : vérifiez son encodage (UTF-8 attendu).' + NOTHING_SAVED,
  );
export const forbiddenKey = (key: string) =>
  new BadInputError('Paramètre refusé', `Le nom de paramètre « ${key.slice(0, 40)} » n’est pas accepté.` + NOTHING_SAVED);
export const tooDeep = () =>
  new BadInputError('Contenu trop imbriqué', `Le contenu JSON envoyé est imbriqué sur plus de ${MAX_JSON_DEPTH} niveaux.` + NOTHING_SAVED);
export const invalidJson = () => new BadInputError('Contenu illisible', 'Le contenu JSON envoyé est mal formé.' + NOTHING_SAVED);

/** `record[key]` only when the record itself has that key: never a prototype's member (`constructor`, `toString`…). */
export function own<V>(record: Readonly<Record<string, V>>, key: unknown): V | undefined {
  return typeof key === 'string' && Object.hasOwn(record, key) ? record[key] : undefined;
}

const HEX = /^[0-9a-fA-F]{2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The bytes a percent-encoded string stands for (`+` left as is): `%C3%A9` → é, `%FF` → a lone byte.
 * A `%` not followed by two hex digits stays a `%`, as the query parsers do.
 */
function percentBytes(text: string): Buffer | null {
  if (!text.includes('%')) return null;
  const parts: Buffer[] = [];
  let start = 0;
  const bytes: number[] = [];
  for (let i = text.indexOf('%'); i >= 0 && i < text.length; i = text.indexOf('%', i)) {
    if (!HEX.test(text.slice(i + 1, i + 3))) {
      i++;
      continue;
    }
    if (i > start) parts.push(Buffer.from(text.slice(start, i), 'utf8'));
    bytes.length = 0;
    while (text[i] === '%' && HEX.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 3;
    }
    parts.push(Buffer.from(bytes));
    start = i;
  }
  if (start < text.length) parts.push(Buffer.from(text.slice(start), 'utf8'));
  return Buffer.concat(parts);
}

/** Refuses a NUL or bytes that are not UTF-8 in a percent-encoded string (a URL, a form body). */
export function checkEncodedText(text: string): void {
  if (text.includes('\u0000')) throw nulByte();
  const bytes = percentBytes(text);
  if (!bytes) return;
  if (bytes.includes(0)) throw nulByte();
  try {
    utf8.decode(bytes);
  } catch {
    throw invalidUtf8();
  }
}

function decodeKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}

/** `a`, `a[b]`, `a.b`: every part of a key is checked (a parser that nests keys would walk into a prototype). */
function checkKey(key: string): void {
  for (const part of key.split(/[[\].]/)) {
    if (FORBIDDEN_KEYS.has(part)) throw forbiddenKey(key);
  }
}

/** Refuses a forbidden key in an `a=1&b=2` string (a query string or a form body). */
export function checkQueryKeys(query: string): void {
  if (!query) return;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    const key = decodeKey(eq >= 0 ? pair.slice(0, eq) : pair);
    checkKey(key);
  }
}

/** The whole URL: path and query string. */
export function checkUrl(url: string): void {
  checkEncodedText(url);
  const q = url.indexOf('?');
  if (q >= 0) checkQueryKeys(url.slice(q + 1));
}

/**
 * Refuses JSON nested deeper than `max` without parsing it (so without recursion): one pass counting the brackets
 * outside strings. JSON.parse and everything walking its result afterwards can then never overflow the stack.
 */
export function checkJsonDepth(text: string, max = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) throw tooDeep();
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
}

/** Refuses NUL, U+FFFD (what undecodable bytes became) and forbidden keys anywhere in a parsed body. */
export function checkParsedValue(value: unknown, depth = 0): void {
  if (depth > MAX_JSON_DEPTH) throw tooDeep();
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw nulByte();
    if (value.includes('\uFFFD')) throw invalidUtf8();
  } else if (Array.isArray(value)) {
    for (const item of value) checkParsedValue(item, depth + 1);
  } else if (value && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      checkKey(key);
      checkParsedValue((value as Record<string, unknown>)[key], depth + 1);
    }
  }
}

/** Form bodies: the raw text is checked, then parsed strictly (bytes that are not UTF-8 were refused above). */
export function parseFormBody(body: string): Record<string, unknown> {
  checkEncodedText(body);
  checkQueryKeys(body);
  const parsed = parseQuery(body);
  checkParsedValue(parsed);
  return parsed;
}

/** JSON bodies: depth checked on the text before JSON.parse, keys and text after. */
export function parseJsonBody(body: string): unknown {
  if (body === '') return undefined;
  checkJsonDepth(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalidJson();
  }
  checkParsedValue(parsed);
  return parsed;
}

/**
 * Installs the guard: the URL check in an `onRequest` hook (call it before any other `onRequest` hook that reads the
 * query or the database) and the JSON parser. The form parser is given to @fastify/formbody by the server.
 */
export function registerInputGuard(app: FastifyInstance, bodyLimit: number): void {
  app.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
    try {
      checkUrl(request.raw.url ?? '/');
      done();
    } catch (error) {
      done(error as Error);
    }
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
