import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';
import { PUBLIC } from '../kernel/web/access.ts';
import { sendPage } from '../kernel/web/render.ts';
import { referential } from './rgaa/referential.ts';
import { referentialPage } from './referential-page/view.ts';

/** The accessibility module's routes. For now: the public, read-only RGAA referential. */
export const accessibilityRoutes: FastifyPluginAsync<AppDeps> = async (app) => {
  app.get('/referentiel-rgaa', PUBLIC, (request, reply) => {
    const rgaa = referential();
    return sendPage(request, reply, {
      title: `Référentiel RGAA ${rgaa.version}`,
      breadcrumb: [{ label: 'Référentiel RGAA' }],
      content: referentialPage(rgaa),
    });
  });
};
