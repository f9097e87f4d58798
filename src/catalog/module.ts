import type { VigieModule } from '../kernel/module.ts';
import { hasAnyGrant } from '../kernel/auth/scope.ts';
import { catalogRoutes } from './routes.ts';
import { catalogCommands } from './cli.ts';
import { seedCatalogDemo } from './demo/seed.ts';
import { loadProcedurePlace } from './queries/procedures.ts';

/** The catalogue of procedures, administrations and ministries: the places every scope is checked against. */
export const catalogModule: VigieModule = {
  name: 'catalog',
  routes: catalogRoutes,
  navigation: [{ label: 'Catalogue', href: '/catalogue', visible: hasAnyGrant, order: 30 }],
  commands: catalogCommands,
  seedDemo: async (deps) => {
    await seedCatalogDemo(deps.db);
  },
  places: {
    procedure: loadProcedurePlace,
    async administration(db, id) {
      const { rows } = await db.query<{ ministry_id: number }>('SELECT ministry_id FROM administrations WHERE id = $1', [id]);
      return rows[0] ? { administrationId: id, ministryId: Number(rows[0].ministry_id) } : null;
    },
    async ministry(db, id) {
      const { rows } = await db.query('SELECT 1 FROM ministries WHERE id = $1', [id]);
      return rows[0] ? { ministryId: id } : null;
    },
  },
};
