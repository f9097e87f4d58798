import type { FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import { z, type ZodType } from 'zod';
import { pageFrom } from './pagination.ts';

// A schema without a message of its own still answers in French (« Entrée invalide : … »), never in English.
z.config(z.locales.fr());

/**
 * Route schemas are zod schemas: `schema: { params, querystring, body }` in the route options. Fastify hands each to
 * this compiler; a failure is a validation error whose messages (the schemas', in French) the kernel's error handler
 * shows: a 404 for the params of the URL (an id that cannot exist), a 400 for a query or a body (the error page, or
 * problem+json under /api/). Nothing is written: validation runs before the CSRF check and the handler. The parsed
 * value (defaults, coercions, ids as numbers) replaces the request's.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<ZodType> =
  ({ schema }) =>
  (data) => {
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    const error = Object.assign(new Error(result.error.issues.map((issue) => issue.message).join(' ')), {
      validation: result.error.issues.map((issue) => ({
        message: issue.message,
        instancePath: `/${issue.path.join('/')}`,
        // A refused param of the URL is a 404: the schema may name that page's title (`idParam`).
        title: issue.code === 'custom' && typeof issue.params?.title === 'string' ? issue.params.title : undefined,
      })),
    });
    return { error };
  };

/**
 * The type provider of zod route schemas: in a plugin, `const app = instance.withTypeProvider<ZodTypeProvider>()`
 * types `request.params`, `request.query` and `request.body` from the route's schemas (their parsed output).
 */
export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends ZodType ? z.output<this['schema']> : unknown;
  serializer: this['schema'] extends ZodType ? z.input<this['schema']> : unknown;
}

/**
 * A form body as a route schema: the fields named are checked, the others (the CSRF token `_csrf`…) kept for the
 * hooks that read them. Forms that show their errors beside the fields validate in the handler (`validateForm`).
 */
export const formBody = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

/** A flag of the query, e.g. `?enregistre=1` after a redirect: present or not, its value ignored. */
export const flag = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => value !== undefined);

/** The query of a page that only reads a flag after a redirect (`?enregistre=1`, `?etat=…`). */
export const noticeQuery = (...names: string[]) => z.looseObject(Object.fromEntries(names.map((name) => [name, flag])));

/** A search box of a list's query: trimmed, cut at `max` characters; absent or repeated, the empty search. */
export const searchText = (max = 200) =>
  z
    .unknown()
    .optional()
    .transform((value) => (typeof value === 'string' ? value.trim().slice(0, max) : ''));

/** The page number of a list's query: a hand-edited value falls back to the first page (pageFrom). */
export const pageParam = z
  .unknown()
  .optional()
  .transform((value) => pageFrom(value));

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * A form body shown again as typed next to its errors: every field as text ('' for a repeated one), the others (the
 * CSRF token…) kept. The form's own checks (validateForm) run on it in the handler.
 */
export const formTexts = z
  .record(z.string(), z.unknown())
  .transform((body) => Object.fromEntries(Object.entries(body).map(([name, value]) => [name, textOf(value)])));

/** One field of a form or query as text: '' when absent or repeated (the handler's checks then say what is missing). */
export const formText = z
  .unknown()
  .optional()
  .transform((value) => textOf(value));

/**
 * The body of an action form that has no field of its own (archive, revoke, publish…): only the CSRF token, which the
 * kernel's hook checks. Declared so that every POST states its body (test/route-contract.test.ts).
 */
export const actionForm = z.looseObject(
  {},
  { error: 'Le formulaire envoyé est vide ou illisible : rechargez la page et recommencez. Rien n’a été enregistré.' },
);

/**
 * The body of a file upload (multipart/form-data). Its parts are a stream, not a parsed body: the handler reads them
 * with the route's limits (`request.file()` / `request.parts()`, @fastify/multipart) and checks each field and file
 * itself, so that a missing or refused file shows the form again with its message (« Choisissez un fichier… »)
 * rather than an error page. This schema states that, for the route table (test/route-contract.test.ts).
 */
export const multipartBody = z.unknown().meta({ description: 'multipart/form-data, read and checked by the handler' });
