import { z } from 'zod';

/** The shape of an id: no sign, no leading zero, at most 16 digits (then it must also be a safe integer). */
export const ID_PATTERN = /^[1-9]\d{0,15}$/;

/**
 * Ids of the URL and of forms, parsed one way: a positive integer that fits a bigint column and a JavaScript number
 * exactly (at most 16 digits, no sign, no leading zero). Anything else is `null` — a 404 for a URL, a form error for a
 * field — never a SQL error. `idParam` is the same rule as a zod schema, for route schemas (`schema: { params }`).
 */
export function parseId(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  return typeof value === 'string' && ID_PATTERN.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : null;
}

/**
 * An id of the URL or of a query (a string of digits), parsed by `parseId`: the number, or the schema's message. In
 * route params a refused id is a 404: `title` and `message` are then that page's (or problem's) title and text, so a
 * malformed id gets the same answer as an unknown one (« Session introuvable »…).
 */
export const idParam = (message = 'Identifiant invalide : un nombre entier positif est attendu.', title?: string) =>
  z
    .string({ error: message })
    .refine((value) => parseId(value) !== null, { message, params: title ? { title } : undefined })
    .meta({ pattern: ID_PATTERN.source })
    .transform((value) => parseId(value)!);

/** `schema: { params: idParams }` of a route `…/:id…`: `request.params.id` is a number; another value is a 404. */
export const idParams = z.object({ id: idParam() });

/** The same, with the route's own 404 title and text (those it shows for an id that names nothing). */
export const idParamsOr404 = (title: string, message: string) => z.object({ id: idParam(message, title) });

/**
 * An id of a query (`?page=`, `?jalon=`…): the number, or null when absent, repeated or hand-edited — the page then
 * falls back to its default or answers its own 404; never a 400.
 */
export const queryId = z
  .unknown()
  .optional()
  .transform((value) => parseId(value));
