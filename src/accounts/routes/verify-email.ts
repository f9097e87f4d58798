import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../kernel/web/deps.ts';
import { redirectSeeOther, sendPage } from '../../kernel/web/render.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { consumeToken, findValidToken, linkToken } from '../tokens.ts';
import { formBody, type ZodTypeProvider } from '../../kernel/web/schemas.ts';
import { z } from 'zod';
import { acceptInvitationsFor } from '../invitations.ts';
import { verifyEmailPage } from '../views/public-forms.ts';
import { SIGN_UP_RATE_LIMIT } from './password-reset.ts';
import { sendInvalidLink } from './invalid-link.ts';
import { PUBLIC } from '../../kernel/web/access.ts';

/** The link of the verification mail shows a button: mail scanners that open links do not spend the token. */
export const verifyEmailRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const { db } = deps;

  app.get('/verification-adresse', { ...PUBLIC, schema: { querystring: z.looseObject({ jeton: linkToken }) } }, async (request, reply) => {
    const token = request.query.jeton;
    const valid = await findValidToken(db, token, 'email_verification');
    if (!valid) return sendInvalidLink(request, reply);
    return sendPage(request, reply, {
      title: 'Vérification de l’adresse',
      content: verifyEmailPage(reply.generateCsrf(), token, valid.email),
    });
  });

  app.post(
    '/verification-adresse',
    { config: { access: 'public', rateLimit: SIGN_UP_RATE_LIMIT }, schema: { body: formBody({ jeton: linkToken }) } },
    async (request, reply) => {
      const token = request.body.jeton;
      const done = await db.transaction(async (tx) => {
        const valid = await consumeToken(tx, token, 'email_verification');
        if (!valid) return false;
        await tx.query('UPDATE users SET email_verified_at = now(), updated_at = now() WHERE id = $1', [valid.userId]);
        const actor = { id: valid.userId, email: valid.email };
        await audit(tx, {
          actor,
          action: 'user.verify_email',
          entityType: 'user',
          entityId: valid.userId,
          after: { email: valid.email },
          ipHash: request.ipHash,
        });
        await acceptInvitationsFor(tx, valid.userId, valid.email);
        return true;
      });
      if (!done) return sendInvalidLink(request, reply);
      return redirectSeeOther(reply, request.user ? '/compte?ok=adresse-verifiee' : '/connexion?ok=adresse-verifiee');
    },
  );
};
