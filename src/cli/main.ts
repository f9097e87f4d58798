import { parseArgs } from 'node:util';
import { loadConfig } from '../kernel/config.ts';
import { openDatabase } from '../kernel/db/open.ts';
import { migrate } from '../kernel/db/migrate.ts';
import { ensureDemo, openDeps, start, stopOnSignals } from '../start.ts';

import type { CliCommand as Command } from '../kernel/module.ts';

const COMMANDS: Record<string, Command> = {
  serve: {
    summary: 'Démarre le serveur web (et les tâches de fond).',
    usage: 'vigie serve\n\nVariables : PORT, HOST, VIGIE_DATA_DIR, DATABASE_URL… (voir le README).',
    async run() {
      const running = await start();
      stopOnSignals(running);
      return -1; // keep running
    },
  },
  migrate: {
    summary: 'Applique les migrations de base de données en attente.',
    usage: 'vigie migrate',
    async run() {
      const config = loadConfig();
      const db = await openDatabase(config);
      const applied = await migrate(db);
      console.log(applied.length ? `Migrations appliquées : ${applied.join(', ')}` : 'Base de données à jour.');
      await db.close();
      return 0;
    },
  },
  'seed-demo': {
    summary: 'Charge les données de démonstration (si elles ne le sont pas déjà).',
    usage: 'vigie seed-demo',
    async run() {
      const deps = await openDeps(loadConfig());
      await ensureDemo(deps);
      await deps.db.close();
      return 0;
    },
  },
};

function help(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(18)} ${c.summary}`);
  return `Usage : vigie <commande> [options]\n\nCommandes :\n${lines.join('\n')}\n\nvigie <commande> --help pour l’aide d’une commande.`;
}

export async function main(argv: string[]): Promise<void> {
  // Each module's commands (`VigieModule.commands`), loaded lazily: the manifests import the whole application.
  const { moduleCommands } = await import('./commands.ts');
  Object.assign(COMMANDS, moduleCommands());
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`Commande inconnue : ${name}\n\n${help()}`);
    process.exitCode = 2;
    return;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.summary}\n\n${command.usage}`);
    return;
  }
  try {
    const code = await command.run(rest);
    if (code >= 0) process.exit(code);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}

export { parseArgs };
