// Whether dist/ holds a compiled copy of the current sources: the build stamp is newer than every file under src/
// and than the TypeScript settings. Shared by the build script and bin/vigie.js (which falls back to tsx when not).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const STAMP = '.built';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

export function sourcesMtime(root) {
  return Math.max(
    newestMtime(path.join(root, 'src')),
    statSync(path.join(root, 'tsconfig.json')).mtimeMs,
    statSync(path.join(root, 'tsconfig.build.json')).mtimeMs,
  );
}

export function isDistFresh(root, outDir = path.join(root, 'dist')) {
  let stamp;
  try {
    stamp = statSync(path.join(outDir, STAMP)).mtimeMs;
  } catch {
    return false;
  }
  return stamp >= sourcesMtime(root);
}
