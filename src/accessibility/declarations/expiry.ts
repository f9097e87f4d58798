import type { AppDeps } from '../../kernel/web/deps.ts';
import type { Jobs } from '../../kernel/jobs/jobs.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { formatDate, todayInParis } from '../../kernel/web/format.ts';
import { publishedDeclarations } from './queries.ts';

export const EXPIRY_QUEUE = 'accessibility.declarations.expiry';

/**
 * Warns the people who can edit a procedure (its editors, its administration's members, its ministry's referents)
 * when its declaration expires within the warning period (90 days by default). One warning per expiry date
 * (`warned_for`), whatever the number of runs: the job is debounced by the data, not by the clock.
 * Returns the number of declarations warned about.
 */
export async function runExpiryWarnings(deps: Pick<AppDeps, 'db' | 'mailer' | 'config'>, today = todayInParis()): Promise<number> {
  const { db } = deps;
  const { rows } = await db.query<{ procedure_id: number; warned_for: string | null }>(
    'SELECT procedure_id, warned_for FROM accessibility_declarations WHERE published IS NOT NULL',
  );
  const declarations = await publishedDeclarations(
    db,
    rows.map((r) => Number(r.procedure_id)),
    today,
  );
  let warned = 0;
  for (const r of rows) {
    const d = declarations.get(Number(r.procedure_id));
    if (!d || !d.validity.expiresSoon || r.warned_for === d.validity.expiresOn) continue;
    // Claim the warning first (another run may be at it): only the run that flips warned_for sends.
    const claimed = await db.transaction(async (tx) => {
      const { rows: done } = await tx.query(
        'UPDATE accessibility_declarations SET warned_for = $2 WHERE procedure_id = $1 AND warned_for IS DISTINCT FROM $2 RETURNING id',
        [d.procedureId, d.validity.expiresOn],
      );
      if (!done[0]) return false;
      await audit(tx, {
        actor: null,
        action: 'accessibility.declaration.expiry_warning',
        entityType: 'procedure',
        entityId: d.procedureId,
        after: { expiresOn: d.validity.expiresOn },
      });
      return true;
    });
    if (!claimed) continue;
    warned++;
    const { rows: people } = await db.query<{ email: string }>(
      `SELECT DISTINCT u.email FROM grants g JOIN users u ON u.id = g.user_id
         JOIN procedures p ON p.id = $1 JOIN administrations a ON a.id = p.administration_id
        WHERE u.disabled_at IS NULL AND ((g.role = 'procedure_editor' AND g.procedure_id = p.id)
           OR (g.role = 'administration_member' AND g.administration_id = a.id) OR (g.role = 'ministry_referent' AND g.ministry_id = a.ministry_id))
        ORDER BY u.email`,
      [d.procedureId],
    );
    const url = `${deps.config.publicUrl}/rgaa/demarches/${d.procedureId}/declaration`;
    for (const p of people) {
      await deps.mailer.send({
        to: p.email,
        subject: `Déclaration d’accessibilité à renouveler : ${d.content.procedure.title}`,
        text: `Bonjour,\n\nLa déclaration d’accessibilité de la démarche « ${d.content.procedure.title} » ne sera plus valide le ${formatDate(d.validity.expiresOn)} (dans ${d.validity.daysLeft} jours).\nPour la renouveler, faites réaliser un nouvel audit complet puis publiez une nouvelle déclaration : ${url}\n\nVigie`,
      });
    }
  }
  return warned;
}

/** Every day at 6 h (Paris); a singleton key keeps two instances from running it twice. */
export async function registerExpiryJob(deps: AppDeps, jobs: Jobs): Promise<void> {
  await jobs.work(EXPIRY_QUEUE, async () => {
    await runExpiryWarnings(deps);
  });
  await jobs.schedule(EXPIRY_QUEUE, '0 6 * * *');
}
