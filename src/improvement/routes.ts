import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../kernel/web/deps.ts';
import { PUBLIC } from '../kernel/web/access.ts';
import { sendPage } from '../kernel/web/render.ts';
import { statisticsHelp } from './help.ts';

export const improvementRoutes: FastifyPluginAsync<AppDeps> = async (app) => {
  app.get('/aide/statistiques', PUBLIC, async (request, reply) =>
    sendPage(request, reply, {
      title: 'Comprendre les intervalles de confiance et les évolutions',
      breadcrumb: [{ label: 'Comprendre les intervalles de confiance et les évolutions' }],
      content: statisticsHelp(),
    }));
};
