import { loadConfig } from '../kernel/config.ts';
import { openDeps } from '../start.ts';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../kernel/module.ts';
import { exportCatalog, importCatalogFile } from './cli-commands.ts';

/** The module's `vigie` commands. */
export const catalogCommands: Record<string, CliCommand> = {
  'import-catalog': {
    summary: 'Importe des démarches depuis un fichier CSV, XLSX ou ODS (aperçu avec --dry-run).',
    usage:
      'vigie import-catalog FICHIER [--dry-run]\n\n' +
      'Ajoute ou met à jour les démarches par identifiant stable, tout ou rien. Chaque ligne est vérifiée d’abord ;\n' +
      'la moindre erreur (affichée avec sa ligne et sa colonne) annule tout l’import.\n' +
      '--dry-run  vérifie et affiche les changements sans rien enregistrer.\n' +
      'Colonnes acceptées : voir docs/catalog.md.',
    async run(args) {
      const { values, positionals } = parseArgs({
        args,
        options: { 'dry-run': { type: 'boolean' } },
        allowPositionals: true,
        strict: true,
      });
      if (positionals.length !== 1) {
        console.error('Indiquez un fichier : vigie import-catalog FICHIER [--dry-run]');
        return 2;
      }
      const deps = await openDeps(loadConfig());
      try {
        return await importCatalogFile(
          deps.db,
          positionals[0],
          { dryRun: !!values['dry-run'] },
          { log: console.log, error: console.error },
        );
      } finally {
        await deps.db.close();
      }
    },
  },

  'export-catalog': {
    summary: 'Exporte le catalogue des démarches en CSV ou XLSX.',
    usage:
      'vigie export-catalog [--format csv|xlsx] [--output FICHIER]\n\n' +
      'Sans --output, le fichier est écrit sur la sortie standard. Format par défaut : csv (UTF-8, séparateur « ; »).\n' +
      'Le fichier exporté se réimporte tel quel avec vigie import-catalog.',
    async run(args) {
      const { values } = parseArgs({
        args,
        options: { format: { type: 'string', default: 'csv' }, output: { type: 'string' } },
        strict: true,
      });
      if (values.format !== 'csv' && values.format !== 'xlsx') {
        console.error('Format inconnu : choisissez --format csv ou --format xlsx.');
        return 2;
      }
      if (values.format === 'xlsx' && !values.output && process.stdout.isTTY) {
        console.error('Un fichier XLSX ne s’affiche pas dans le terminal : indiquez --output FICHIER.');
        return 2;
      }
      const deps = await openDeps(loadConfig());
      try {
        await exportCatalog(deps.db, { format: values.format, output: values.output }, process.stdout);
        if (values.output) console.error(`Catalogue exporté dans ${values.output}`);
        return 0;
      } finally {
        await deps.db.close();
      }
    },
  },
};
