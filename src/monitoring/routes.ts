import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../kernel/web/deps.ts';
import { inScope, PUBLIC } from '../kernel/web/access.ts';
import { canEditProcedure, type ProcedurePlace } from '../kernel/auth/scope.ts';
import { audit } from '../kernel/audit/audit.ts';
import { html, type SafeHtml } from '../kernel/web/html.ts';
import { columnChart } from '../kernel/web/charts.ts';
import { csrfField, errorSummary, input, select, validateForm, type FieldErrors } from '../kernel/web/forms.ts';
import { redirectSeeOther, sendErrorPage, sendPage } from '../kernel/web/render.ts';
import { formatDateTime } from '../kernel/web/format.ts';
import { idParam, idParamsOr404 } from '../kernel/web/ids.ts';
import { formBody, type ZodTypeProvider } from '../kernel/web/schemas.ts';
import { monitoringSettings } from './settings.ts';
import { targetUrlRefusal } from './ssrf.ts';
import { causeLabel, durationLabel } from './mails.ts';
import { computeUptime, loadUptimeData, uptimeDataFrom, WINDOWS } from './uptime.ts';
import { scanChanges } from './scans.ts';
import { heldDeclarations } from '../accessibility/index.ts';
import { declarationMismatches, mismatchSentence } from './declaration-check.ts';

const KIND_LABELS: Record<string, string> = {
  start: 'Page de départ',
  step: 'Étape de la démarche',
  declaration: 'Déclaration d’accessibilité',
};
const RECURRENCE_LABELS: Record<string, string> = { none: 'Une seule fois', daily: 'Chaque jour', weekly: 'Chaque semaine' };
const DAY = 86_400_000;
const STATUS_CACHE_MS = 60_000;
const SCAN_ERRORS: Record<string, string> = {
  timeout: 'la page ne s’est pas chargée dans le temps imparti',
  killed: 'la page a bloqué le navigateur, qui a été arrêté',
  'too-large': 'page trop lourde',
  redirects: 'trop de redirections',
  navigation: 'la page n’a pas pu être ouverte',
  crash: 'le navigateur s’est arrêté',
};
const byCriterion = (a: string, b: string) => a.localeCompare(b, 'fr', { numeric: true });

const PERCENT = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function percent(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return `${PERCENT.format(value)} %`;
}

interface ProcedureInfo {
  id: number;
  title: string;
  stable_id: string;
  url: string | null;
  info_url: string | null;
}

async function procedureOf(deps: AppDeps, id: number): Promise<ProcedureInfo | null> {
  const { rows } = await deps.db.query<ProcedureInfo>(`SELECT id, title, stable_id, url, info_url FROM procedures WHERE id = $1`, [id]);
  return rows[0] ? { ...rows[0], id: Number(rows[0].id) } : null;
}

const targetSchema = z.object({
  url: z
    .string({ error: 'Indiquez l’adresse de la page.' })
    .trim()
    .min(1, 'Indiquez l’adresse de la page.')
    .max(2000, 'Adresse trop longue (2 000 caractères au plus).'),
  kind: z.enum(['start', 'step', 'declaration'], { message: 'Choisissez le type de page.' }),
  label: z.string().trim().max(200, '200 caractères au plus.').default(''),
  interval: z
    .string()
    .trim()
    .regex(/^\d{1,4}$/, 'Un nombre entier de minutes est attendu.')
    .refine((v) => Number(v) >= 1 && Number(v) <= 1440, 'Entre 1 et 1 440 minutes.')
    .default('5'),
  expectedStatus: z
    .string()
    .trim()
    .regex(/^\d{3}$/, 'Un code HTTP à trois chiffres est attendu (200 le plus souvent).')
    .refine((v) => Number(v) >= 100 && Number(v) <= 599, 'Un code HTTP entre 100 et 599 est attendu.')
    .default('200'),
  expectedText: z.string().trim().max(500, '500 caractères au plus.').default(''),
});

const maintenanceSchema = z.object({
  startsAt: z
    .string({ error: 'Indiquez le début de la maintenance.' })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Date et heure attendues (jj/mm/aaaa hh:mm).'),
  endsAt: z
    .string({ error: 'Indiquez la fin de la maintenance.' })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Date et heure attendues (jj/mm/aaaa hh:mm).'),
  recurrence: z.enum(['none', 'daily', 'weekly'], { message: 'Choisissez la répétition.' }),
  label: z.string().trim().max(200, '200 caractères au plus.').default(''),
});

/** A local date-time of the form (Paris) as an instant. */
function parisInstant(local: string): Date | null {
  const guess = new Date(`${local}:00Z`);
  if (Number.isNaN(guess.getTime())) return null;
  // Paris is UTC+1 or UTC+2: take the offset of that moment.
  const offsetText =
    new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', timeZoneName: 'longOffset' })
      .formatToParts(guess)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+01:00';
  const m = offsetText.match(/GMT([+-])(\d{2}):(\d{2})/);
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 60;
  return new Date(guess.getTime() - offset * 60_000);
}

export const monitoringRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  // Params and bodies by route schemas (an id of the URL that is not one is the 404); the forms by validateForm.
  const app = instance.withTypeProvider<ZodTypeProvider>();
  const procedureParams = idParamsOr404('Page introuvable', 'Cette démarche n’existe pas.');
  const targetDeletion = formBody({ target: idParam('Cette page surveillée n’existe pas. Rien n’a été supprimé.') });
  const windowDeletion = formBody({ maintenance: idParam('Cette maintenance n’existe pas. Rien n’a été supprimé.') });
  const stableIdParams = z.object({
    stableId: z
      .string()
      .refine((value) => value.length <= 100, { message: 'Cette démarche n’existe pas.', params: { title: 'Page introuvable' } }),
  });
  const settings = monitoringSettings(deps.config);
  // Status pages per procedure, per server (this app's database).
  const statusCache = new Map<number, { at: number; content: SafeHtml }>();

  async function renderBackOffice(
    request: FastifyRequest,
    reply: FastifyReply,
    procedureId: number,
    forms: {
      target?: { values: Record<string, string>; errors: FieldErrors };
      maintenance?: { values: Record<string, string>; errors: FieldErrors };
    } = {},
  ) {
    const procedure = await procedureOf(deps, procedureId);
    if (!procedure) return sendErrorPage(request, reply, 404, 'Page introuvable', 'Cette démarche n’existe pas.');
    const canEdit = canEditProcedure(request.user, request.place as ProcedurePlace);
    const now = Date.now();
    const { rows: targets } = await deps.db.query(
      `SELECT t.id, t.kind, t.url, t.label, t.interval_seconds, t.expected_status, t.expected_text, t.cert_expires_at,
              (SELECT max(s.last_probed_at) FROM monitoring_schedule s WHERE s.target_id = t.id) AS last_probed_at,
              EXISTS (SELECT 1 FROM monitoring_incidents i WHERE i.target_id = t.id AND i.ended_at IS NULL) AS in_incident
         FROM monitoring_targets t WHERE t.procedure_id = $1 AND t.active ORDER BY t.kind, t.id`,
      [procedureId],
    );
    const data = await loadUptimeData(
      deps.db,
      'target',
      targets.map((t) => Number(t.id)),
      new Date(now - 90 * DAY),
      new Date(now),
    );
    // The last 20 of each target by the index on (target, start), then the last 20 of them all.
    const { rows: incidents } = await deps.db.query(
      `SELECT i.started_at, i.ended_at, i.cause, t.url FROM monitoring_targets t
        CROSS JOIN LATERAL (SELECT started_at, ended_at, cause FROM monitoring_incidents WHERE target_id = t.id ORDER BY started_at DESC LIMIT 20) i
        WHERE t.procedure_id = $1 ORDER BY i.started_at DESC LIMIT 20`,
      [procedureId],
    );
    const { rows: windows } = await deps.db.query(
      `SELECT id, starts_at, ends_at, recurrence, label FROM monitoring_maintenance WHERE procedure_id = $1 ORDER BY starts_at DESC`,
      [procedureId],
    );
    const { rows: scans } = await deps.db.query(
      `SELECT DISTINCT ON (s.target_id) s.id, s.page_url, s.finished_at, s.error, s.error_message, s.declaration_mention, s.declared_rate, s.declared_date,
              (SELECT array_agg(DISTINCT f.criterion) FROM monitoring_scan_findings f WHERE f.scan_id = s.id AND f.verdict = 'non-conforme') AS nc,
              (SELECT count(DISTINCT f.criterion)::int FROM monitoring_scan_findings f WHERE f.scan_id = s.id AND f.verdict = 'a-verifier') AS to_check
         FROM monitoring_scans s JOIN monitoring_targets t ON t.id = s.target_id
        WHERE s.procedure_id = $1 AND t.active ORDER BY s.target_id, s.finished_at DESC, s.id DESC`,
      [procedureId],
    );
    // What the pages say of their declaration, against the declaration published in Vigie (accessibility module).
    const held = (await heldDeclarations(deps.db, [procedureId])).get(procedureId) ?? null;
    const declared = scans.filter((scan) => !scan.error && (scan.declaration_mention || scan.declared_rate !== null || scan.declared_date));
    const changes = new Map<number, { added: string[]; fixed: string[] }>();
    for (const scan of scans) if (!scan.error) changes.set(Number(scan.id), await scanChanges(deps.db, Number(scan.id)));
    const base = `/surveillance/demarches/${procedureId}`;
    const csrf = reply.generateCsrf();
    const tv = forms.target?.values ?? {};
    const te = forms.target?.errors ?? {};
    const mv = forms.maintenance?.values ?? {};
    const me = forms.maintenance?.errors ?? {};
    const catalogUrls = [procedure.url, procedure.info_url].filter((u): u is string => !!u);
    const content = html`<h1>Surveillance : ${procedure.title}</h1>
<p>Pages de la démarche sondées à intervalle régulier : disponibilité, temps de réponse, certificat. La disponibilité est
calculée en temps (durée des incidents ÷ temps surveillé hors maintenance), pas en nombre de sondes.
<a href="/disponibilite/${encodeURIComponent(procedure.stable_id)}">Page publique de disponibilité</a>.</p>
${errorSummary({ ...te, ...me })}
<h2>Pages surveillées</h2>
${
  targets.length === 0
    ? html`<p>Aucune page surveillée.</p>`
    : html`<div class="fr-table"><table>
<caption>Pages surveillées et disponibilité</caption>
<thead><tr><th scope="col">Page</th><th scope="col">Type</th><th scope="col">État</th><th scope="col">Dernière sonde</th>${WINDOWS.map((w) => html`<th scope="col">${w.label}</th>`)}${canEdit ? html`<th scope="col">Action</th>` : ''}</tr></thead>
<tbody>${targets.map(
        (t) => html`<tr>
<td>${t.label ? html`${t.label}<br>` : ''}<span class="fr-text--sm">${t.url}</span></td>
<td>${KIND_LABELS[t.kind] ?? t.kind}<br><span class="fr-text--sm">toutes les ${Math.round(t.interval_seconds / 60)} min</span></td>
<td>${t.in_incident ? html`<p class="fr-badge fr-badge--error">Incident en cours</p>` : t.last_probed_at ? html`<p class="fr-badge fr-badge--success">En service</p>` : html`<p class="fr-badge">Pas encore sondée</p>`}</td>
<td>${t.last_probed_at ? formatDateTime(t.last_probed_at) : '–'}</td>
${WINDOWS.map((w) => html`<td>${percent(computeUptime(data, Number(t.id), now - w.ms, now)?.percent)}</td>`)}
${canEdit ? html`<td><form method="post" action="${base}/cibles/supprimer">${csrfField(csrf)}<input type="hidden" name="target" value="${t.id}"><button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">Retirer<span class="fr-sr-only"> ${t.url}</span></button></form></td>` : ''}
</tr>`,
      )}</tbody></table></div>`
}
<h2>Analyses automatiques d’accessibilité</h2>
<p>Chromium et axe-core, une fois par jour par page. Un critère n’est jamais déclaré « conforme » par une analyse
automatique : seulement « non conforme » (un défaut trouvé) ou « à vérifier ».</p>
${
  scans.length === 0
    ? html`<p>Aucune analyse pour l’instant.</p>`
    : html`<div class="fr-table"><table><caption>Dernière analyse de chaque page</caption>
<thead><tr><th scope="col">Page</th><th scope="col">Date</th><th scope="col">Critères non conformes</th><th scope="col">Critères à vérifier</th><th scope="col">Depuis l’analyse précédente</th><th scope="col">Mention « Accessibilité »</th></tr></thead>
<tbody>${scans.map((scan) => {
        const ch = changes.get(Number(scan.id));
        return html`<tr><td>${scan.page_url}</td><td>${formatDateTime(scan.finished_at)}</td>
${
  scan.error
    ? html`<td colspan="3">Analyse impossible : ${SCAN_ERRORS[scan.error] ?? scan.error}</td>`
    : html`<td>${scan.nc?.length ? [...scan.nc].sort(byCriterion).join(', ') : 'aucun défaut détecté'}</td><td>${scan.to_check}</td>
<td>${ch && (ch.added.length || ch.fixed.length) ? `${ch.added.length} nouveau${ch.added.length > 1 ? 'x' : ''}, ${ch.fixed.length} corrigé${ch.fixed.length > 1 ? 's' : ''}` : 'sans changement'}</td>`
}
<td>${scan.error ? '–' : scan.declaration_mention ? `${scan.declaration_mention} conforme` : 'absente'}${scan.declared_rate !== null && scan.declared_rate !== undefined ? ` (taux déclaré ${String(scan.declared_rate).replace('.', ',')} %)` : ''}</td></tr>`;
      })}</tbody></table></div>`
}
${
  declared.length || held
    ? html`<h3>Déclaration d’accessibilité : les pages et Vigie</h3>
${
  held
    ? html`<p>Déclaration publiée dans Vigie : « Accessibilité : ${held.label.replace('_', ' ')} »${held.exactRate !== null ? `, taux ${String(held.exactRate).replace('.', ',')} %` : ''}, établie le ${held.establishedOn.split('-').reverse().join('/')}, mise à jour le ${held.updatedOn.split('-').reverse().join('/')}. <a href="${held.url}">Voir la déclaration</a>.</p>
${
  declared.length === 0
    ? html`<p>Aucune page analysée ne mentionne sa déclaration.</p>`
    : declared.map((scan) => {
        const mismatches = declarationMismatches(
          {
            mention: scan.declaration_mention,
            rate: scan.declared_rate === null ? null : Number(scan.declared_rate),
            date: scan.declared_date,
          },
          held,
        );
        return mismatches.length
          ? html`<div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w"><p><strong>Écart avec la déclaration de Vigie</strong> sur ${scan.page_url} : ${mismatchSentence(mismatches)}.</p></div>`
          : html`<p>${scan.page_url} : conforme à la déclaration de Vigie pour ce que la page en dit.</p>`;
      })
}`
    : html`<p>Vigie ne détient pas de déclaration publiée pour cette démarche : ce que disent les pages n’est comparé à rien.</p>`
}`
    : ''
}
${canEdit ? html`<form method="post" action="${base}/analyses">${csrfField(csrf)}<button class="fr-btn fr-btn--secondary" type="submit">Analyser les pages dès que possible</button></form>` : ''}
<h2>Incidents récents</h2>
${
  incidents.length === 0
    ? html`<p>Aucun incident.</p>`
    : html`<div class="fr-table"><table><caption>Vingt derniers incidents</caption>
<thead><tr><th scope="col">Page</th><th scope="col">Début</th><th scope="col">Fin</th><th scope="col">Durée</th><th scope="col">Cause</th></tr></thead>
<tbody>${incidents.map(
        (
          i,
        ) => html`<tr><td>${i.url}</td><td>${formatDateTime(i.started_at)}</td><td>${i.ended_at ? formatDateTime(i.ended_at) : 'en cours'}</td>
<td>${durationLabel((i.ended_at ? new Date(i.ended_at).getTime() : now) - new Date(i.started_at).getTime())}</td><td>${causeLabel(i.cause)}</td></tr>`,
      )}</tbody></table></div>`
}
<h2>Maintenances</h2>
${
  windows.length === 0
    ? html`<p>Aucune maintenance déclarée.</p>`
    : html`<div class="fr-table"><table><caption>Maintenances déclarées (exclues du calcul de disponibilité)</caption>
<thead><tr><th scope="col">Début</th><th scope="col">Fin</th><th scope="col">Répétition</th><th scope="col">Motif</th>${canEdit ? html`<th scope="col">Action</th>` : ''}</tr></thead>
<tbody>${windows.map(
        (
          w,
        ) => html`<tr><td>${formatDateTime(w.starts_at)}</td><td>${formatDateTime(w.ends_at)}</td><td>${RECURRENCE_LABELS[w.recurrence]}</td><td>${w.label || '–'}</td>
${canEdit ? html`<td><form method="post" action="${base}/maintenances/supprimer">${csrfField(csrf)}<input type="hidden" name="maintenance" value="${w.id}"><button class="fr-btn fr-btn--sm fr-btn--secondary" type="submit">Supprimer<span class="fr-sr-only"> la maintenance du ${formatDateTime(w.starts_at)}</span></button></form></td>` : ''}</tr>`,
      )}</tbody></table></div>`
}
${
  canEdit
    ? html`<h2>Ajouter une page à surveiller</h2>
${
  catalogUrls.length
    ? html`<form method="post" action="${base}/cibles/catalogue" class="fr-mb-4w">${csrfField(csrf)}
<p>Adresses du catalogue : ${catalogUrls.join(', ')}.</p>
<button class="fr-btn fr-btn--secondary" type="submit">Surveiller les adresses du catalogue</button></form>`
    : ''
}
<form method="post" action="${base}/cibles" novalidate>${csrfField(csrf)}
${input({ name: 'url', label: 'Adresse de la page', type: 'url', required: true, value: tv.url, error: te.url, hint: 'http ou https, adresse publique (exemple : https://www.service-public.fr/).' })}
${select({ name: 'kind', label: 'Type de page', required: true, value: tv.kind ?? 'start', error: te.kind, options: Object.entries(KIND_LABELS).map(([value, label]) => ({ value, label })) })}
${input({ name: 'label', label: 'Nom de la page', value: tv.label, error: te.label, hint: 'Facultatif, par exemple « Étape 2 : justificatifs ».' })}
${input({ name: 'interval', label: 'Intervalle entre deux sondes (minutes)', type: 'number', value: tv.interval ?? '5', error: te.interval })}
${input({ name: 'expectedStatus', label: 'Code HTTP attendu', type: 'number', value: tv.expectedStatus ?? '200', error: te.expectedStatus })}
${input({ name: 'expectedText', label: 'Texte attendu dans la page', value: tv.expectedText, error: te.expectedText, hint: 'Facultatif : son absence compte comme une panne.' })}
<button class="fr-btn" type="submit">Ajouter la page</button></form>
<h2>Déclarer une maintenance</h2>
<form method="post" action="${base}/maintenances" novalidate>${csrfField(csrf)}
${input({ name: 'startsAt', label: 'Début (heure de Paris)', type: 'datetime-local' as 'text', required: true, value: mv.startsAt, error: me.startsAt })}
${input({ name: 'endsAt', label: 'Fin (heure de Paris)', type: 'datetime-local' as 'text', required: true, value: mv.endsAt, error: me.endsAt })}
${select({ name: 'recurrence', label: 'Répétition', required: true, value: mv.recurrence ?? 'none', error: me.recurrence, options: Object.entries(RECURRENCE_LABELS).map(([value, label]) => ({ value, label })) })}
${input({ name: 'label', label: 'Motif', value: mv.label, error: me.label })}
<button class="fr-btn" type="submit">Déclarer la maintenance</button></form>`
    : ''
}`;
    return sendPage(
      request,
      reply,
      {
        title: `Surveillance : ${procedure.title}`,
        breadcrumb: [
          { label: 'Catalogue', href: '/catalogue' },
          { label: procedure.title, href: `/catalogue/demarches/${procedureId}` },
          { label: 'Surveillance' },
        ],
        content,
      },
      Object.keys(te).length || Object.keys(me).length ? 400 : 200,
    );
  }

  app.get('/surveillance/demarches/:id', { ...inScope('procedure', 'read'), schema: { params: procedureParams } }, (request, reply) =>
    renderBackOffice(request, reply, request.params.id),
  );

  app.post(
    '/surveillance/demarches/:id/cibles',
    { ...inScope('procedure', 'edit'), schema: { params: procedureParams, body: formBody({}) } },
    async (request, reply) => {
      const procedureId = request.params.id;
      const body = request.body;
      const values = Object.fromEntries(
        ['url', 'kind', 'label', 'interval', 'expectedStatus', 'expectedText'].map((k) => [k, typeof body[k] === 'string' ? body[k] : '']),
      ) as Record<string, string>;
      const parsed = validateForm(targetSchema, Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')));
      if (!parsed.ok) return renderBackOffice(request, reply, procedureId, { target: { values, errors: parsed.errors } });
      const refusal = await targetUrlRefusal(parsed.data.url, settings.allowed);
      if (refusal) return renderBackOffice(request, reply, procedureId, { target: { values, errors: { url: refusal } } });
      const d = parsed.data;
      const created = await deps.db.transaction(async (tx) => {
        const { rows } = await tx.query(
          `INSERT INTO monitoring_targets (procedure_id, kind, url, label, interval_seconds, expected_status, expected_text)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (procedure_id, url) DO NOTHING RETURNING id`,
          [procedureId, d.kind, d.url, d.label, Number(d.interval) * 60, Number(d.expectedStatus), d.expectedText || null],
        );
        if (!rows[0]) return false;
        await audit(tx, {
          actor: request.user!,
          action: 'monitoring.target.create',
          entityType: 'procedure',
          entityId: procedureId,
          after: { url: d.url, kind: d.kind, interval: Number(d.interval) },
        });
        return true;
      });
      if (!created)
        return renderBackOffice(request, reply, procedureId, {
          target: { values, errors: { url: 'Cette page est déjà surveillée pour cette démarche.' } },
        });
      return redirectSeeOther(reply, `/surveillance/demarches/${procedureId}`);
    },
  );

  app.post(
    '/surveillance/demarches/:id/cibles/catalogue',
    { ...inScope('procedure', 'edit'), schema: { params: procedureParams, body: formBody({}) } },
    async (request, reply) => {
      const procedureId = request.params.id;
      const procedure = (await procedureOf(deps, procedureId))!;
      const candidates: { url: string; kind: string; label: string }[] = [];
      if (procedure.url) candidates.push({ url: procedure.url, kind: 'start', label: 'Page de la démarche' });
      if (procedure.info_url) candidates.push({ url: procedure.info_url, kind: 'step', label: 'Page d’information' });
      const refused: string[] = [];
      const accepted: typeof candidates = [];
      for (const c of candidates) {
        const refusal = await targetUrlRefusal(c.url, settings.allowed);
        if (refusal) refused.push(`${c.url} : ${refusal}`);
        else accepted.push(c);
      }
      if (refused.length)
        return renderBackOffice(request, reply, procedureId, { target: { values: {}, errors: { url: refused.join(' ') } } });
      await deps.db.transaction(async (tx) => {
        let added = 0;
        for (const c of accepted) {
          const { rowCount } = await tx.query(
            `INSERT INTO monitoring_targets (procedure_id, kind, url, label) VALUES ($1, $2, $3, $4) ON CONFLICT (procedure_id, url) DO NOTHING`,
            [procedureId, c.kind, c.url, c.label],
          );
          added += rowCount;
        }
        if (added)
          await audit(tx, {
            actor: request.user!,
            action: 'monitoring.targets.from_catalog',
            entityType: 'procedure',
            entityId: procedureId,
            after: { urls: accepted.map((c) => c.url) },
          });
      });
      return redirectSeeOther(reply, `/surveillance/demarches/${procedureId}`);
    },
  );

  app.post(
    '/surveillance/demarches/:id/cibles/supprimer',
    { ...inScope('procedure', 'edit'), schema: { params: procedureParams, body: targetDeletion } },
    async (request, reply) => {
      const procedureId = request.params.id;
      const targetId = request.body.target;
      const deleted = await deps.db.transaction(async (tx) => {
        const { rows } = await tx.query(`DELETE FROM monitoring_targets WHERE id = $1 AND procedure_id = $2 RETURNING url`, [
          targetId,
          procedureId,
        ]);
        if (!rows[0]) return false;
        await audit(tx, {
          actor: request.user!,
          action: 'monitoring.target.delete',
          entityType: 'procedure',
          entityId: procedureId,
          before: { url: rows[0].url },
        });
        return true;
      });
      if (!deleted) return sendErrorPage(request, reply, 404, 'Page introuvable', 'Cette page surveillée n’existe pas.');
      return redirectSeeOther(reply, `/surveillance/demarches/${procedureId}`);
    },
  );

  app.post(
    '/surveillance/demarches/:id/analyses',
    { ...inScope('procedure', 'edit'), schema: { params: procedureParams, body: formBody({}) } },
    async (request, reply) => {
      const procedureId = request.params.id;
      await deps.db.transaction(async (tx) => {
        const { rowCount } = await tx.query(
          `UPDATE monitoring_targets SET scan_requested = true WHERE procedure_id = $1 AND active AND NOT scan_requested`,
          [procedureId],
        );
        if (rowCount)
          await audit(tx, {
            actor: request.user!,
            action: 'monitoring.scan.request',
            entityType: 'procedure',
            entityId: procedureId,
            after: { pages: rowCount },
          });
      });
      return redirectSeeOther(reply, `/surveillance/demarches/${procedureId}`);
    },
  );

  app.post(
    '/surveillance/demarches/:id/maintenances',
    { ...inScope('procedure', 'edit'), schema: { params: procedureParams, body: formBody({}) } },
    async (request, reply) => {
      const procedureId = request.params.id;
      const body = request.body;
      const values = Object.fromEntries(
        ['startsAt', 'endsAt', 'recurrence', 'label'].map((k) => [k, typeof body[k] === 'string' ? body[k] : '']),
      ) as Record<string, string>;
      const parsed = validateForm(maintenanceSchema, Object.fromEntries(Object.entries(values).filter(([, v]) => v !== '')));
      if (!parsed.ok) return renderBackOffice(request, reply, procedureId, { maintenance: { values, errors: parsed.errors } });
      const startsAt = parisInstant(parsed.data.startsAt);
      const endsAt = parisInstant(parsed.data.endsAt);
      const errors: FieldErrors = {};
      if (!startsAt) errors.startsAt = 'Date invalide.';
      if (!endsAt) errors.endsAt = 'Date invalide.';
      else if (startsAt && endsAt <= startsAt) errors.endsAt = 'La fin doit suivre le début.';
      const span = startsAt && endsAt ? endsAt.getTime() - startsAt.getTime() : 0;
      if (!errors.endsAt && parsed.data.recurrence === 'daily' && span >= DAY)
        errors.endsAt = 'Une maintenance quotidienne dure moins de 24 heures.';
      if (!errors.endsAt && parsed.data.recurrence === 'weekly' && span >= 7 * DAY)
        errors.endsAt = 'Une maintenance hebdomadaire dure moins de 7 jours.';
      if (Object.keys(errors).length) return renderBackOffice(request, reply, procedureId, { maintenance: { values, errors } });
      await deps.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO monitoring_maintenance (procedure_id, starts_at, ends_at, recurrence, label) VALUES ($1, $2, $3, $4, $5)`,
          [procedureId, startsAt, endsAt, parsed.data.recurrence, parsed.data.label],
        );
        await audit(tx, {
          actor: request.user!,
          action: 'monitoring.maintenance.create',
          entityType: 'procedure',
          entityId: procedureId,
          after: { startsAt, endsAt, recurrence: parsed.data.recurrence },
        });
      });
      return redirectSeeOther(reply, `/surveillance/demarches/${procedureId}`);
    },
  );

  app.post(
    '/surveillance/demarches/:id/maintenances/supprimer',
    { ...inScope('procedure', 'edit'), schema: { params: procedureParams, body: windowDeletion } },
    async (request, reply) => {
      const procedureId = request.params.id;
      const windowId = request.body.maintenance;
      const deleted = await deps.db.transaction(async (tx) => {
        const { rows } = await tx.query(`DELETE FROM monitoring_maintenance WHERE id = $1 AND procedure_id = $2 RETURNING starts_at`, [
          windowId,
          procedureId,
        ]);
        if (!rows[0]) return false;
        await audit(tx, {
          actor: request.user!,
          action: 'monitoring.maintenance.delete',
          entityType: 'procedure',
          entityId: procedureId,
          before: { startsAt: rows[0].starts_at },
        });
        return true;
      });
      if (!deleted) return sendErrorPage(request, reply, 404, 'Page introuvable', 'Cette maintenance n’existe pas.');
      return redirectSeeOther(reply, `/surveillance/demarches/${procedureId}`);
    },
  );

  app.get('/disponibilite/:stableId', { ...PUBLIC, schema: { params: stableIdParams } }, async (request, reply) => {
    const { stableId } = request.params;
    const { rows } = await deps.db.query(`SELECT id, title FROM procedures WHERE stable_id = $1`, [stableId]);
    if (!rows[0]) return sendErrorPage(request, reply, 404, 'Page introuvable', 'Cette démarche n’existe pas.');
    const procedureId = Number(rows[0].id);
    // Computed at most once a minute per procedure and server (the figures move by the minute at most).
    const cached = statusCache.get(procedureId);
    let content = cached && Date.now() - cached.at < STATUS_CACHE_MS ? cached.content : null;
    if (!content) {
      content = await statusPage(deps, procedureId, rows[0].title);
      if (statusCache.size > 20_000) statusCache.clear();
      statusCache.set(procedureId, { at: Date.now(), content });
    }
    return sendPage(request, reply, { title: `Disponibilité : ${rows[0].title}`, breadcrumb: [{ label: 'Disponibilité' }], content });
  });
};

// Built once: an Intl.DateTimeFormat costs far more to build than to use (the status page formats 270 dates).
const PARIS_DAY = new Intl.DateTimeFormat('fr-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });
const PARIS_HOUR = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', hourCycle: 'h23' });

const dayCache = { key: '', days: [] as { day: string; from: number; to: number }[] };

/** Days (Paris) of the last 90, oldest first, as [start, end) instants (boundaries computed once a day). */
function lastDays(now: number, count: number): { day: string; from: number; to: number }[] {
  const key = `${PARIS_DAY.format(new Date(now))}/${count}`;
  if (dayCache.key !== key) dayCache.days = computeLastDays(now, count);
  dayCache.key = key;
  const days = dayCache.days.map((d) => ({ ...d }));
  days[days.length - 1].to = now;
  return days;
}

function computeLastDays(now: number, count: number): { day: string; from: number; to: number }[] {
  const days: { day: string; from: number; to: number }[] = [];
  const fmt = PARIS_DAY;
  const today = fmt.format(new Date(now));
  let cursor = new Date(`${today}T12:00:00Z`).getTime();
  for (let i = 0; i < count; i++) {
    const day = fmt.format(new Date(cursor));
    const from = parisMidnight(day);
    const next = fmt.format(new Date(cursor + DAY));
    days.unshift({ day, from, to: Math.min(parisMidnight(next), now) });
    cursor -= DAY;
  }
  return days;
}

function parisMidnight(day: string): number {
  const guess = new Date(`${day}T00:00:00Z`).getTime();
  for (const offset of [60, 120]) {
    const t = guess - offset * 60_000;
    const hour = PARIS_HOUR.format(new Date(t));
    if (hour === '00') return t;
  }
  return guess - 3600_000;
}

/**
 * The status page's figures, from one indexed statement: the procedure's targets, each with its incidents meeting the
 * 90 days (index on target and end), and the maintenance windows. Never raw probes.
 */
async function statusPage(deps: AppDeps, procedureId: number, title: string): Promise<SafeHtml> {
  const now = Date.now();
  const days = lastDays(now, 90);
  const from = new Date(days[0].from);
  const to = new Date(now);
  const { rows: targets } = await deps.db.query(
    `WITH w AS (
       SELECT coalesce(json_agg(json_build_object('starts_at', starts_at, 'ends_at', ends_at, 'recurrence', recurrence)), '[]'::json) AS windows
         FROM monitoring_maintenance WHERE procedure_id = $1 AND starts_at < $3)
     SELECT t.id, t.label, t.kind, t.monitored_since, w.windows,
            (SELECT coalesce(json_agg(json_build_object('started_at', i.started_at, 'ended_at', i.ended_at, 'cause', i.cause)), '[]'::json)
               FROM monitoring_incidents i
              WHERE i.target_id = t.id AND coalesce(i.ended_at, 'infinity'::timestamptz) > $2 AND i.started_at < $3) AS incidents
       FROM monitoring_targets t CROSS JOIN w
      WHERE t.procedure_id = $1 AND t.monitored_since < $3`,
    [procedureId, from, to],
    { name: 'monitoring_status_page' },
  );
  const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;
  type IncidentRow = { started_at: string; ended_at: string | null; cause: string };
  const all = targets.flatMap((t) =>
    json<IncidentRow[]>(t.incidents).map((i) => ({
      ...i,
      start: Date.parse(i.started_at),
      target_id: t.id,
      label: t.label as string,
      kind: t.kind as string,
    })),
  );
  const windows = targets[0]
    ? json<{ starts_at: string; ends_at: string; recurrence: string }[]>(targets[0].windows).map((w) => ({
        ...w,
        procedure_id: procedureId,
      }))
    : [];
  const data = uptimeDataFrom(
    'procedure',
    { targets: targets.map((t) => ({ id: t.id, procedure_id: procedureId, monitored_since: t.monitored_since })), incidents: all, windows },
    from,
    to,
  );
  const figures = WINDOWS.map((w) => ({ label: w.label, value: computeUptime(data, procedureId, now - w.ms, now)?.percent ?? null }));
  const perDay = days.map((d) => ({ ...d, uptime: computeUptime(data, procedureId, d.from, d.to) }));
  const incidents = all.sort((a, b) => b.start - a.start).slice(0, 50);
  const colour = (p: number | null | undefined) =>
    p === null || p === undefined ? '#929292' : p >= 99.9 ? '#18753c' : p >= 98.5 ? '#b34000' : '#ce0500';
  const bars = columnChart(
    'barres',
    'Disponibilité jour par jour sur 90 jours : le tableau qui suit donne les mêmes valeurs.',
    perDay.map((d) => ({ value: d.uptime?.percent ?? 0, colour: colour(d.uptime?.percent) })),
    { max: 100, plotHeight: 40, minHeight: 8, columnWidth: 4, width: 540, fixedSize: true },
  );
  return html`<h1>Disponibilité : ${title}</h1>
<p>Part du temps où les pages de la démarche répondaient correctement, hors maintenances annoncées. Une panne compte à
partir d’une défaillance confirmée par une seconde tentative ; le calcul se fait en temps, pas en nombre de sondes.</p>
<div class="fr-table"><table><caption>Disponibilité sur les dernières périodes</caption>
<thead><tr>${figures.map((f) => html`<th scope="col">${f.label}</th>`)}</tr></thead>
<tbody><tr>${figures.map((f) => html`<td>${percent(f.value)}</td>`)}</tr></tbody></table></div>
<h2>Les 90 derniers jours</h2>
<figure class="fr-mb-4w">
${bars}
<figcaption>Vert : au moins 99,9 % ; orange : au moins 98,5 % ; rouge : moins ; gris : pas de mesure.</figcaption>
</figure>
<details><summary>Tableau jour par jour</summary>
<div class="fr-table"><table><caption>Disponibilité par jour (heure de Paris)</caption>
<thead><tr><th scope="col">Jour</th><th scope="col">Disponibilité</th><th scope="col">Indisponibilité</th></tr></thead>
<tbody>${[...perDay].reverse().map((d) => html`<tr><th scope="row">${d.day.split('-').reverse().join('/')}</th><td>${percent(d.uptime?.percent)}</td><td>${d.uptime ? durationLabel(d.uptime.downMs) : '–'}</td></tr>`)}</tbody></table></div>
</details>
<h2>Incidents</h2>
${
  incidents.length === 0
    ? html`<p>Aucun incident sur les 90 derniers jours.</p>`
    : html`<div class="fr-table"><table><caption>Incidents des 90 derniers jours</caption>
<thead><tr><th scope="col">Page</th><th scope="col">Début</th><th scope="col">Fin</th><th scope="col">Durée</th><th scope="col">Cause</th></tr></thead>
<tbody>${incidents.map(
        (
          i,
        ) => html`<tr><td>${i.label || KIND_LABELS[i.kind]}</td><td>${formatDateTime(i.started_at)}</td><td>${i.ended_at ? formatDateTime(i.ended_at) : 'en cours'}</td>
<td>${durationLabel((i.ended_at ? new Date(i.ended_at).getTime() : now) - new Date(i.started_at).getTime())}</td><td>${causeLabel(i.cause)}</td></tr>`,
      )}</tbody></table></div>`
}`;
}
