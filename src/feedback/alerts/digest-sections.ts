import type { Queryable } from '../../kernel/db/db.ts';

/**
 * Other modules' lines in the feedback digest of a procedure (e.g. accessibility's overdue milestones). A section
 * returns text to append, or null when it has nothing to say for this procedure.
 */
export type DigestSection = (db: Queryable, procedureId: number, today: string, publicUrl: string) => Promise<string | null>;

const sections = new Map<string, DigestSection>();

/** Called once by a module at load time; a later registration with the same name replaces the earlier one. */
export function registerDigestSection(name: string, section: DigestSection): void {
  sections.set(name, section);
}

/** The registered sections' text for this procedure, each on its own paragraph ('' when none speaks). */
export async function digestSectionsText(db: Queryable, procedureId: number, today: string, publicUrl: string): Promise<string> {
  const parts: string[] = [];
  for (const section of sections.values()) {
    const text = await section(db, procedureId, today, publicUrl);
    if (text) parts.push(text);
  }
  return parts.length ? `\n${parts.join('\n\n')}\n` : '';
}
