import { loadConfig } from '../kernel/config.ts';
import { openDeps } from '../start.ts';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../kernel/module.ts';
import { createAdmin } from './create-admin.ts';

/** The module's `vigie` commands. */
export const accountsCommands: Record<string, CliCommand> = {
  'create-admin': {
    summary: 'Crée un compte administrateur (équipe de pilotage).',
    usage:
      'vigie create-admin --email ADRESSE [--password MOT_DE_PASSE]\n\n' +
      'Sans --password, un mot de passe fort est généré et affiché une seule fois.\n' +
      'Si le compte existe déjà, il reçoit le rôle administrateur (son mot de passe ne change que si --password est donné).',
    async run(args) {
      const { values } = parseArgs({ args, options: { email: { type: 'string' }, password: { type: 'string' } }, strict: true });
      if (!values.email) {
        console.error('Indiquez l’adresse : vigie create-admin --email ADRESSE');
        return 2;
      }
      const deps = await openDeps(loadConfig());
      try {
        const result = await createAdmin(deps.db, values.email, values.password);
        console.log(
          result.created
            ? `Compte administrateur créé : ${result.email}`
            : `Rôle administrateur donné au compte existant : ${result.email}`,
        );
        if (result.password && !values.password) console.log(`Mot de passe (affiché une seule fois) : ${result.password}`);
        return 0;
      } finally {
        await deps.db.close();
      }
    },
  },
};
