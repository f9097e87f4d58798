import type { FastifySchemaCompiler } from 'fastify';
import type { ZodType } from 'zod';

/**
 * Route schemas are zod schemas: `schema: { params, querystring, body }` in the route options. Fastify hands each to
 * this compiler; a failure is a validation error whose messages (the schemas', in French) the kernel's error handler
 * shows (problem+json under /api/). The parsed value (defaults, coercions) replaces the request's.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<ZodType> = ({ schema }) => (data) => {
  const result = schema.safeParse(data);
  if (result.success) return { value: result.data };
  const error = Object.assign(new Error(result.error.issues.map((issue) => issue.message).join(' ')), {
    validation: result.error.issues.map((issue) => ({ message: issue.message, instancePath: `/${issue.path.join('/')}` })),
  });
  return { error };
};
