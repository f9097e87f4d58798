/** Défis as files: export to a zip (one Markdown file per défi), import from a zip or a single .md file. */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { ChallengeFileError, parseChallengeFile, writeChallengeFile, type ChallengeFile } from './challenge-file.ts';

export const MAX_FILES = 500;
export const MAX_UNZIPPED = 20 * 1024 * 1024;

export function exportZip(files: ChallengeFile[]): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const f of files) entries[`defis/${f.slug}.md`] = strToU8(writeChallengeFile(f));
  return zipSync(entries, { level: 6, mtime: new Date('2026-01-01T00:00:00Z') });
}

export interface ImportProblem {
  file: string;
  errors: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads every .md file of an upload (zip or .md). All files are checked before anything is written. */
export function readUpload(
  bytes: Uint8Array,
  fileName: string,
): { files: { name: string; challenge: ChallengeFile }[]; problems: ImportProblem[] } {
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  let texts: [string, Uint8Array][];
  if (isZip) {
    let total = 0;
    let count = 0;
    let tooBig = false;
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(bytes, {
        filter: (f) => {
          if (!f.name.toLowerCase().endsWith('.md') || f.name.split('/').some((p) => p.startsWith('.') || p === '__MACOSX')) return false;
          count += 1;
          total += f.originalSize;
          if (count > MAX_FILES || total > MAX_UNZIPPED) tooBig = true;
          return !tooBig;
        },
      });
    } catch {
      return { files: [], problems: [{ file: fileName, errors: ['L’archive zip est illisible.'] }] };
    }
    if (tooBig)
      return {
        files: [],
        problems: [
          { file: fileName, errors: [`L’archive dépasse ${MAX_FILES} fichiers ou ${MAX_UNZIPPED / 1024 / 1024} Mo décompressés.`] },
        ],
      };
    texts = Object.entries(entries);
    // The declared sizes may lie: check the real ones too.
    if (texts.reduce((s, [, b]) => s + b.length, 0) > MAX_UNZIPPED)
      return { files: [], problems: [{ file: fileName, errors: ['L’archive est trop volumineuse une fois décompressée.'] }] };
  } else if (fileName.toLowerCase().endsWith('.md')) {
    texts = [[fileName, bytes]];
  } else {
    return { files: [], problems: [{ file: fileName, errors: ['Envoyez un fichier .md ou une archive .zip de fichiers .md.'] }] };
  }
  if (texts.length === 0) return { files: [], problems: [{ file: fileName, errors: ['Aucun fichier .md dans l’archive.'] }] };
  const files: { name: string; challenge: ChallengeFile }[] = [];
  const problems: ImportProblem[] = [];
  for (const [name, data] of texts.sort(([a], [b]) => a.localeCompare(b))) {
    let text: string;
    try {
      text = utf8.decode(data);
    } catch {
      problems.push({ file: name, errors: ['Le fichier n’est pas en UTF-8.'] });
      continue;
    }
    try {
      files.push({ name, challenge: parseChallengeFile(text) });
    } catch (error) {
      if (error instanceof ChallengeFileError) problems.push({ file: name, errors: error.errors });
      else throw error;
    }
  }
  const seen = new Map<string, string>();
  for (const f of files) {
    const other = seen.get(f.challenge.slug);
    if (other) problems.push({ file: f.name, errors: [`Le slug « ${f.challenge.slug} » est déjà celui de ${other}.`] });
    seen.set(f.challenge.slug, f.name);
  }
  return { files, problems };
}

export { strFromU8 };
