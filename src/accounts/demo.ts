import type { Db } from '../kernel/db/db.ts';
import type { GrantInput } from './users.ts';
import type { DemoCredentials } from '../kernel/module.ts';
import { generatePassword, hashPassword } from './passwords.ts';
import { audit } from '../kernel/audit/audit.ts';

/** The catalogue codes the demo accounts are attached to (seeded by the catalogue's demo). */
export const DEMO_MINISTRY_CODE = 'interieur';
export const DEMO_ADMINISTRATION_CODE = 'ants';
export const DEMO_PROCEDURE_STABLE_ID = 'ants-immatriculation-autres-demandes';

async function idOf(db: Db, sql: string, code: string, what: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(sql, [code]);
  if (!rows[0]) throw new Error(`Démo des comptes : ${what} « ${code} » est introuvable ; la démo du catalogue doit être chargée avant.`);
  return rows[0].id;
}

/**
 * One demo account per role, with fresh random passwords (returned to be printed at first start).
 * Idempotent: running it again resets the demo accounts' passwords and grants.
 */
export async function seedAccountsDemo(db: Db): Promise<DemoCredentials[]> {
  const ministryId = await idOf(db, 'SELECT id FROM ministries WHERE code = $1', DEMO_MINISTRY_CODE, 'le ministère');
  const administrationId = await idOf(db, 'SELECT id FROM administrations WHERE code = $1', DEMO_ADMINISTRATION_CODE, 'l’administration');
  const procedureId = await idOf(db, 'SELECT id FROM procedures WHERE stable_id = $1', DEMO_PROCEDURE_STABLE_ID, 'la démarche');
  const accounts: { role: string; email: string; name: string; grant: GrantInput }[] = [
    {
      role: 'Équipe de pilotage (administrateur)',
      email: 'admin@demo.vigie.localhost',
      name: 'Camille Pilote (démo)',
      grant: { role: 'admin' },
    },
    {
      role: 'Référent ministériel (Intérieur)',
      email: 'referent.interieur@demo.vigie.localhost',
      name: 'Dominique Référent (démo)',
      grant: { role: 'ministry_referent', ministryId },
    },
    {
      role: 'Membre d’administration (ANTS)',
      email: 'membre.ants@demo.vigie.localhost',
      name: 'Alex Membre (démo)',
      grant: { role: 'administration_member', administrationId },
    },
    {
      role: 'Équipe de démarche, modification',
      email: 'editeur.demarche@demo.vigie.localhost',
      name: 'Sacha Éditeur (démo)',
      grant: { role: 'procedure_editor', procedureId },
    },
    {
      role: 'Équipe de démarche, lecture seule',
      email: 'lecteur.demarche@demo.vigie.localhost',
      name: 'Charlie Lecteur (démo)',
      grant: { role: 'procedure_reader', procedureId },
    },
  ];
  const credentials: DemoCredentials[] = [];
  const hashed = await Promise.all(
    accounts.map(async () => {
      const password = generatePassword();
      return { password, hash: await hashPassword(password) };
    }),
  );
  await db.transaction(async (tx) => {
    for (const [i, account] of accounts.entries()) {
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO users (email, display_name, password_hash, email_verified_at, is_demo) VALUES ($1, $2, $3, now(), true)
         ON CONFLICT ((lower(email))) DO UPDATE SET password_hash = EXCLUDED.password_hash, display_name = EXCLUDED.display_name,
           disabled_at = NULL, failed_logins = 0, locked_until = NULL, is_demo = true, updated_at = now()
         RETURNING id`,
        [account.email, account.name, hashed[i].hash],
      );
      const userId = rows[0].id;
      await tx.query('DELETE FROM grants WHERE user_id = $1', [userId]);
      const g = account.grant;
      await tx.query('INSERT INTO grants (user_id, role, ministry_id, administration_id, procedure_id) VALUES ($1, $2, $3, $4, $5)', [
        userId,
        g.role,
        g.ministryId ?? null,
        g.administrationId ?? null,
        g.procedureId ?? null,
      ]);
      await audit(tx, {
        actor: null,
        action: 'demo.seed_account',
        entityType: 'user',
        entityId: userId,
        after: { email: account.email, role: g.role },
      });
      credentials.push({ role: account.role, email: account.email, password: hashed[i].password });
    }
  });
  return credentials;
}
