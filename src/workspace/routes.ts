import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';
import { sendPage } from '../kernel/web/render.ts';
import { loadWorkspace } from './attention.ts';
import { workspacePage } from './views.ts';
import { AFTER_SIGN_IN } from '../accounts/index.ts';
import { SIGNED_IN } from '../kernel/web/access.ts';

/** Where every signed-in person lands after signing in. */
const LANDING_PATH = AFTER_SIGN_IN;

export const workspaceRoutes: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  app.get(LANDING_PATH, SIGNED_IN, async (request, reply) => {
    const user = request.user!;
    const workspace = await loadWorkspace(deps.db, user);
    return sendPage(request, reply, {
      title: 'Mes démarches',
      breadcrumb: [{ label: 'Mes démarches' }],
      content: workspacePage(user, workspace),
    });
  });
};
