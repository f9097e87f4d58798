import type { CliCommand } from '../kernel/module.ts';
import { MODULES } from '../app.ts';

/** Every module's `vigie` commands (`VigieModule.commands`). */
export function moduleCommands(): Record<string, CliCommand> {
  const commands: Record<string, CliCommand> = {};
  for (const module of MODULES) {
    for (const [name, command] of Object.entries(module.commands ?? {})) {
      if (commands[name]) throw new Error(`La commande « ${name} » est déclarée par deux modules.`);
      commands[name] = command;
    }
  }
  return commands;
}
