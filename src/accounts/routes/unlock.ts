import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { redirectSeeOther, sendPage } from '../../kernel/web/render.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { consumeToken, findValidToken, linkToken } from '../tokens.ts';
import { formBody, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { z } from 'zod';
import { unlockPage } from '../views/public-forms.ts';
import { SIGN_UP_RATE_LIMIT } from './password-reset.ts';
import { sendInvalidLink } from './invalid-link.ts';
import { PUBLIC } from '../../kernel/web/access.ts';

/**
 * « Débloquer mon compte », the link of the lock-out notice: lifts the current lock at once. The failure count is kept,
 * so a further failure locks again on the next rung: the link gives the owner their account back, not a guesser more
 * tries.
 */
export const unlockRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  app.get('/deblocage-compte', { ...PUBLIC, schema: { querystring: z.looseObject({ jeton: linkToken }) } }, async (request, reply) => {
    const token = request.query.jeton;
    const valid = await findValidToken(db, token, 'account_unlock');
    if (!valid) return sendInvalidLink(request, reply);
    return sendPage(request, reply, { title: 'Débloquer mon compte', content: unlockPage(reply.generateCsrf(), token, valid.email) });
  });

  app.post(
    '/deblocage-compte',
    { config: { access: 'public', rateLimit: SIGN_UP_RATE_LIMIT }, schema: { body: formBody({ jeton: linkToken }) } },
    async (request, reply) => {
      const token = request.body.jeton;
      const done = await db.transaction(async (tx) => {
        const valid = await consumeToken(tx, token, 'account_unlock');
        if (!valid) return false;
        const { rows } = await tx.query<{ locked_until: Date | null }>(
          `UPDATE users u SET locked_until = NULL FROM (SELECT id, locked_until FROM users WHERE id = $1 FOR UPDATE) old
          WHERE u.id = old.id RETURNING old.locked_until`,
          [valid.userId],
        );
        const was = rows[0]?.locked_until ? new Date(rows[0].locked_until) : null;
        await audit(tx, {
          actor: { id: valid.userId, email: valid.email },
          action: 'user.unlock',
          entityType: 'user',
          entityId: valid.userId,
          before: { lockedUntil: was && was > new Date() ? was.toISOString() : null },
          ipHash: request.ipHash,
        });
        return true;
      });
      if (!done) return sendInvalidLink(request, reply);
      return redirectSeeOther(reply, '/connexion?ok=compte-debloque');
    },
  );
};
