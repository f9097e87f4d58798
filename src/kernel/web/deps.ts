import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import type { Jobs } from '../jobs/jobs.ts';
import type { Mailer } from '../mail/mailer.ts';

/** What every module receives when it registers its routes: explicit dependencies, no globals. */
export interface AppDeps {
  config: Config;
  db: Db;
  mailer: Mailer;
  jobs: Jobs | null;
}
