#!/usr/bin/env -S node --max-semi-space-size=1
// --max-semi-space-size=1: requests allocate little, and V8's default young generation (16 MB semi-spaces) would
// hold about 70 MB more at rest. `npm start` passes the same flag.
// Entry point of the `vigie` command: TypeScript sources are loaded through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
