#!/usr/bin/env -S node --max-semi-space-size=4
// --max-semi-space-size=4: V8's default young generation (16 MB semi-spaces) holds 25 to 70 MB more at rest; 1 MB
// saves a few more megabytes but makes the garbage collector run four times as often under load (bench/foundation.ts
// and bench/feedback.bench.ts measure both sides). `npm start` passes the same flag.
// Entry point of the `vigie` command: the JavaScript compiled in dist/ (`node scripts/build.js`, run by `npm start`)
// when it is up to date with the sources, else the TypeScript sources through tsx.
import { isDistFresh } from '../scripts/dist-state.js';

const root = new URL('..', import.meta.url).pathname;
let main;
if (process.env.VIGIE_FROM_SOURCES !== 'true' && isDistFresh(root)) {
  ({ main } = await import('../dist/src/cli/main.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
await main(process.argv.slice(2));
