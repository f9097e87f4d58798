#!/usr/bin/env node
// Entry point of the `vigie` command: TypeScript sources are loaded through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
