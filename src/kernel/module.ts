import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from './web/deps.ts';
import type { Jobs } from './jobs/jobs.ts';
import type { CurrentUser } from './auth/scope.ts';
import type { Queryable } from './db/db.ts';

/** One line of the main navigation (header and sitemap). */
export interface NavItem {
  label: string;
  href: string;
  visible: (user: CurrentUser | null) => boolean;
  /** Position in the menu, smallest first (the home page is 0); ties keep the modules' order. */
  order: number;
}

/** A `vigie <name>` command. */
export interface CliCommand {
  summary: string;
  usage: string;
  /** Returns the exit code, or -1 to keep the process running (a server). */
  run(args: string[]): Promise<number>;
}

export interface DemoCredentials {
  role: string;
  email: string;
  password: string;
}

/**
 * Where an object of a URL sits in the catalogue, for the declared access checks (src/kernel/web/access.ts).
 * A procedure gives all three ids; an administration its own and its ministry's; a ministry only its own.
 */
export interface Place {
  procedureId?: number;
  administrationId?: number;
  ministryId: number;
  /**
   * Users granted this one object only, outside the catalogue's grants (an accessibility audit's outside « auditeur »):
   * a scoped policy lets them in, read or edit, even without any grant of their own.
   */
  grantedUserIds?: readonly number[];
}

/** Finds the place of the object a route parameter names (`null`: no such object, a 404). */
export type PlaceResolver = (db: Queryable, id: number) => Promise<Place | null>;

/**
 * What a module brings to Vigie. The kernel loops over the modules of `src/app.ts` for each part: adding a module is
 * one folder with its `module.ts` and one line in `src/app.ts`.
 */
export interface VigieModule {
  name: string;
  /** The module's routes (a Fastify plugin); every route declares `config: { access }`. */
  routes?: FastifyPluginAsync<AppDeps>;
  /** Lines of the main navigation. */
  navigation?: NavItem[];
  /** `vigie` commands, by name. */
  commands?: Record<string, CliCommand>;
  /** Loads the module's demonstration data (idempotent); seeds run in the modules' order. */
  seedDemo?: (deps: AppDeps) => Promise<DemoCredentials[] | void>;
  /** Registers the module's job workers and schedules (only when jobs run). */
  jobs?: (deps: AppDeps, jobs: Jobs) => Promise<void>;
  /** Resolvers of the objects that access policies name with `via` (e.g. `form` → the form's procedure). */
  places?: Record<string, PlaceResolver>;
  /** The resolvers of `places` whose objects may be granted to a user alone (`Place.grantedUserIds`). */
  objectGrants?: string[];
}
