import type { Db } from '../../kernel/db/db.ts';
import type { AuditEntry } from '../../kernel/audit/audit.ts';
import { audit } from '../../kernel/audit/audit.ts';
import { readUploadedTable } from '../../kernel/spreadsheet/pool.ts';
import { FileError, isBlank, type Table } from '../../kernel/spreadsheet/table.ts';
import { AUDIT_TYPES, CURRENT_RGAA_VERSION, referential, type AuditType } from '../rgaa/referential.ts';
import { RESULT_STATUSES, type ResultStatus } from '../conformity/rate.ts';
import { IMPACTS, PAGE_KINDS, type Impact, type PageKind } from './model.ts';
import { BASE_COLUMNS, ITEM_FIELDS, itemHeader, ORIGIN_TEXT, type JsonExport, type JsonRow } from './export.ts';
import { addPage, createAudit } from './queries.ts';
import { addEnvironment } from './work.ts';
import { imageTypeOf, MAX_IMAGE_BYTES } from './images.ts';

/**
 * Importing an exported grid (CSV, XLSX, ODS or JSON) as a new audit « en cours » of a procedure: the same sample,
 * results and items. Every problem is reported with its line, in French, and nothing is written unless the whole file
 * is right.
 */

type Actor = AuditEntry['actor'];

interface ParsedRow {
  line: number;
  position: number;
  page: string;
  url: string | null;
  kind: PageKind;
  process: string | null;
  criterion: string;
  status: ResultStatus;
  note: string;
  items: {
    description: string;
    impact: Impact | null;
    quickWin: boolean;
    recommendation: string;
    origin: 'manual' | 'automatic';
    confirmed: boolean;
    image?: ParsedImage;
  }[];
}

interface ParsedImage {
  contentType: string;
  alt: string;
  bytes: Buffer;
}

/** A screenshot of the JSON export: base64 of an image whose type is read from its bytes, at most 2 MB. */
function imageFromJson(raw: unknown, where: string, errors: string[]): ParsedImage | undefined {
  if (raw === undefined || raw === null) return undefined;
  const o = raw as Record<string, unknown>;
  const base64 = typeof o.base64 === 'string' ? o.base64 : '';
  const bytes = /^[A-Za-z0-9+/=\s]+$/.test(base64) ? Buffer.from(base64, 'base64') : Buffer.alloc(0);
  const type = bytes.length ? imageTypeOf(bytes) : null;
  if (!type) {
    errors.push(`${where} : la capture d’écran n’est pas une image PNG, JPEG, GIF ou WebP encodée en base64.`);
    return undefined;
  }
  if (bytes.length > MAX_IMAGE_BYTES) {
    errors.push(`${where} : la capture d’écran dépasse 2 Mo.`);
    return undefined;
  }
  return { contentType: type, alt: typeof o.alt === 'string' ? o.alt.slice(0, 500) : '', bytes };
}

const KIND_BY_TEXT = new Map<string, PageKind>();
for (const k of PAGE_KINDS) {
  KIND_BY_TEXT.set(k.kind, k.kind);
  KIND_BY_TEXT.set(k.label.toLowerCase(), k.kind);
}

/** A text the CSV writer made inert (a quote before `=`, `+`, `-`, `@`…) read back as it was typed. */
function unneutralise(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

function rowFromCells(line: number, get: (header: string) => string, maxItems: number, errors: string[]): ParsedRow | null {
  const at = `Ligne ${line}`;
  const before = errors.length;
  const positionText = get('Page n°').trim();
  const position = Number(positionText);
  if (!/^\d{1,4}$/.test(positionText) || position < 1)
    errors.push(`${at} : « Page n° » doit être un nombre entier positif (trouvé « ${positionText} »).`);
  const page = get('Page').trim();
  if (!page) errors.push(`${at} : le nom de la page est vide.`);
  if (page.length > 200) errors.push(`${at} : le nom de la page dépasse 200 caractères.`);
  const url = get('Adresse').trim() || null;
  if (url && !/^https?:\/\/\S+$/i.test(url))
    errors.push(`${at} : l’adresse « ${url.slice(0, 80)} » doit commencer par http:// ou https://.`);
  const kindText = get('Type de page').trim();
  const kind = KIND_BY_TEXT.get(kindText.toLowerCase()) ?? KIND_BY_TEXT.get(kindText);
  if (!kind) errors.push(`${at} : type de page inconnu « ${kindText} ».`);
  const process = get('Processus').trim() || null;
  const criterion = get('Critère').trim();
  const statusText = get('Statut').trim().toUpperCase();
  const status = RESULT_STATUSES.find((s) => s === statusText);
  if (!status) errors.push(`${at} : statut « ${statusText} » inconnu (C, NC, NA ou NT).`);
  const note = get('Note');
  if (note.length > 5000) errors.push(`${at} : la note dépasse 5 000 caractères.`);
  const items: ParsedRow['items'] = [];
  for (let n = 1; n <= maxItems; n++) {
    const f = (field: (typeof ITEM_FIELDS)[number]) => get(itemHeader(n, field));
    const description = f('description').trim();
    const impactText = f('impact').trim().toLowerCase();
    const quickText = f('gain rapide').trim().toLowerCase();
    const recommendation = f('recommandation').trim();
    const originText = f('origine').trim().toLowerCase();
    if (!description && !impactText && !recommendation && (!quickText || quickText === 'non') && !originText) continue;
    if (!description) {
      errors.push(`${at} : l’anomalie ${n} n’a pas de description.`);
      continue;
    }
    const impact = impactText ? (IMPACTS.find((i) => i.impact === impactText)?.impact ?? null) : null;
    if (impactText && !impact)
      errors.push(`${at} : l’impact de l’anomalie ${n} doit être mineur, majeur ou bloquant (trouvé « ${impactText} »).`);
    if (quickText && quickText !== 'oui' && quickText !== 'non')
      errors.push(`${at} : « gain rapide » de l’anomalie ${n} doit valoir oui ou non.`);
    const origin =
      !originText || originText === ORIGIN_TEXT.manual
        ? 'manual'
        : originText === ORIGIN_TEXT.automatic || originText === ORIGIN_TEXT.automaticPending
          ? 'automatic'
          : null;
    if (!origin)
      errors.push(`${at} : l’origine de l’anomalie ${n} doit être « manuelle », « automatique » ou « automatique à confirmer ».`);
    if (description.length > 5000 || recommendation.length > 5000) errors.push(`${at} : l’anomalie ${n} dépasse 5 000 caractères.`);
    items.push({
      description,
      impact,
      quickWin: quickText === 'oui',
      recommendation,
      origin: origin ?? 'manual',
      confirmed: originText !== ORIGIN_TEXT.automaticPending,
    });
  }
  if (errors.length > before || !kind || !status) return null;
  return { line, position, page, url, kind, process, criterion, status, note, items };
}

function rowsFromTable(table: Table, errors: string[]): ParsedRow[] {
  const headers = table.headers.map((h) => h.trim());
  const index = new Map(headers.map((h, i) => [h, i]));
  const missing = BASE_COLUMNS.filter((c) => !index.has(c));
  if (missing.length) {
    errors.push(
      `Ligne 1 : colonne${missing.length > 1 ? 's' : ''} manquante${missing.length > 1 ? 's' : ''} : ${missing.map((m) => `« ${m} »`).join(', ')}. Partez d’un export de Vigie.`,
    );
    return [];
  }
  let maxItems = 0;
  for (const h of headers) {
    const m = /^Anomalie (\d+) : (.+)$/.exec(h);
    if (m) {
      if (!(ITEM_FIELDS as readonly string[]).includes(m[2])) errors.push(`Ligne 1 : colonne inconnue « ${h} ».`);
      maxItems = Math.max(maxItems, Number(m[1]));
    } else if (!(BASE_COLUMNS as readonly string[]).includes(h) && h !== '') errors.push(`Ligne 1 : colonne inconnue « ${h} ».`);
  }
  if (maxItems > 200) errors.push('Ligne 1 : plus de 200 anomalies par critère : ce fichier n’est pas une grille de Vigie.');
  if (errors.length) return [];
  const rows: ParsedRow[] = [];
  for (const r of table.rows) {
    if (isBlank(r.cells)) continue;
    const get = (h: string) => {
      const i = index.get(h);
      return i === undefined ? '' : unneutralise(r.cells[i] ?? '');
    };
    const row = rowFromCells(r.line, get, maxItems, errors);
    if (row) rows.push(row);
    if (errors.length > 500) break;
  }
  return rows;
}

function rowsFromJson(doc: JsonExport, errors: string[]): ParsedRow[] {
  if (!Array.isArray(doc.rows)) {
    errors.push('Le fichier JSON n’a pas de liste « rows » : ce n’est pas un export de grille de Vigie.');
    return [];
  }
  const rows: ParsedRow[] = [];
  doc.rows.forEach((raw: Partial<JsonRow> | null, i) => {
    const line = i + 1;
    if (!raw || typeof raw !== 'object') {
      errors.push(`Élément ${line} de « rows » : ce n’est pas un objet.`);
      return;
    }
    const items = Array.isArray(raw.items) ? raw.items : [];
    const text = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
    const values: Record<string, string> = {
      'Page n°': text(raw.pagePosition),
      Page: text(raw.page),
      Adresse: text(raw.url),
      'Type de page': text(raw.kind),
      Processus: text(raw.process),
      Critère: text(raw.criterion),
      Statut: text(raw.status),
      Note: text(raw.note),
    };
    items.forEach((it, n) => {
      const o = (it ?? {}) as Record<string, unknown>;
      values[itemHeader(n + 1, 'description')] = text(o.description);
      values[itemHeader(n + 1, 'impact')] = text(o.impact);
      values[itemHeader(n + 1, 'gain rapide')] = o.quickWin === true ? 'oui' : 'non';
      values[itemHeader(n + 1, 'recommandation')] = text(o.recommendation);
      values[itemHeader(n + 1, 'origine')] =
        o.origin === 'automatic' ? (o.confirmed === false ? ORIGIN_TEXT.automaticPending : ORIGIN_TEXT.automatic) : ORIGIN_TEXT.manual;
    });
    const row = rowFromCells(line, (h) => values[h] ?? '', items.length, errors.length > 500 ? [] : errors);
    if (row) {
      row.items.forEach((item, n) => {
        const image = imageFromJson(
          ((items[n] ?? {}) as Record<string, unknown>).image,
          `Élément ${line} de « rows », anomalie ${n + 1}`,
          errors,
        );
        if (image) item.image = image;
      });
      rows.push({ ...row, line });
    }
  });
  return rows.map((r) => r);
}

interface Plan {
  type: AuditType;
  pages: { position: number; name: string; url: string | null; kind: PageKind; process: string | null; rows: ParsedRow[] }[];
  processes: string[];
}

/** Checks the rows together: a complete grid of one audit type, each page consistent, no duplicate. */
function plan(rows: ParsedRow[], errors: string[], declaredType: AuditType | null): Plan | null {
  const rgaa = referential(CURRENT_RGAA_VERSION);
  const pages = new Map<number, Plan['pages'][number]>();
  const seen = new Map<string, number>();
  for (const r of rows) {
    if (!rgaa.criterion(r.criterion)) {
      errors.push(`Ligne ${r.line} : critère « ${r.criterion} » inconnu du RGAA ${rgaa.version}.`);
      continue;
    }
    const key = `${r.position}|${r.criterion}`;
    if (seen.has(key))
      errors.push(`Ligne ${r.line} : le critère ${r.criterion} de la page ${r.position} figure déjà ligne ${seen.get(key)}.`);
    seen.set(key, r.line);
    let page = pages.get(r.position);
    if (!page)
      pages.set(r.position, (page = { position: r.position, name: r.page, url: r.url, kind: r.kind, process: r.process, rows: [] }));
    else if (page.name !== r.page || page.url !== r.url || page.kind !== r.kind || page.process !== r.process) {
      errors.push(
        `Ligne ${r.line} : la page ${r.position} n’a pas le même nom, la même adresse, le même type ou le même processus que sur ses autres lignes.`,
      );
    }
    page.rows.push(r);
  }
  if (!rows.length && !errors.length) errors.push('Le fichier ne contient aucune ligne de grille.');
  if (errors.length) return null;
  const criteria = new Set(rows.map((r) => r.criterion));
  const type =
    declaredType ??
    AUDIT_TYPES.find((t) => {
      const list = rgaa.auditCriteria(t);
      return list.length === criteria.size && list.every((c) => criteria.has(c));
    });
  if (!type) {
    errors.push(
      `Les critères du fichier (${criteria.size}) ne sont ceux d’aucun type d’audit (25 pour un audit rapide, 50 pour un audit complémentaire, 106 pour un audit complet).`,
    );
    return null;
  }
  const expected = rgaa.auditCriteria(type);
  const expectedSet = new Set(expected);
  for (const page of pages.values()) {
    const present = new Set(page.rows.map((r) => r.criterion));
    const lacking = expected.filter((c) => !present.has(c));
    if (lacking.length)
      errors.push(
        `Page ${page.position} (« ${page.name} ») : il manque ${lacking.length > 1 ? 'les critères' : 'le critère'} ${lacking.slice(0, 10).join(', ')}${lacking.length > 10 ? '…' : ''}.`,
      );
    for (const r of page.rows)
      if (!expectedSet.has(r.criterion))
        errors.push(
          `Ligne ${r.line} : le critère ${r.criterion} ne fait pas partie d’un ${type === 'fast' ? 'audit rapide' : 'audit complémentaire'}.`,
        );
    if (page.kind === 'transverse' && page.process)
      errors.push(`Page ${page.position} : les éléments transverses n’appartiennent à aucun processus.`);
  }
  if ([...pages.values()].filter((p) => p.kind === 'transverse').length > 1)
    errors.push('Le fichier contient plus d’une page « Éléments transverses ».');
  if (errors.length) return null;
  const sorted = [...pages.values()].sort((a, b) => a.position - b.position);
  return { type, pages: sorted, processes: [...new Set(sorted.map((p) => p.process).filter((p): p is string => p !== null))] };
}

export type ImportResult = { ok: true; auditId: number } | { ok: false; errors: string[] };

/** Reads, checks and, only when the whole file is right, creates the audit. */
export async function importAuditFile(
  db: Db,
  input: { procedureId: number; bytes: Buffer; fileName: string; actor: Actor },
): Promise<ImportResult> {
  const errors: string[] = [];
  let rows: ParsedRow[];
  let json: JsonExport | null = null;
  const first = input.bytes
    .subarray(0, 64)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (input.fileName.toLowerCase().endsWith('.json') || first.startsWith('{')) {
    try {
      json = JSON.parse(input.bytes.toString('utf8').replace(/^\uFEFF/, '')) as JsonExport;
    } catch {
      return { ok: false, errors: ['Le fichier JSON est illisible (syntaxe invalide).'] };
    }
    if (!json || typeof json !== 'object' || json.format !== 'vigie-audit-rgaa')
      return { ok: false, errors: ['Ce fichier JSON n’est pas un export de grille de Vigie (champ « format » absent).'] };
    rows = rowsFromJson(json, errors);
  } else {
    let table: Table;
    try {
      table = (await readUploadedTable(input.bytes, input.fileName)).table;
    } catch (error) {
      if (error instanceof FileError) return { ok: false, errors: [error.message] };
      throw error;
    }
    rows = rowsFromTable(table, errors);
  }
  const declaredType = json && AUDIT_TYPES.includes(json.audit?.type) ? json.audit.type : null;
  const p = plan(rows, errors, declaredType);
  if (!p) return { ok: false, errors };
  const meta = json?.audit;
  const name = (typeof meta?.name === 'string' && meta.name.trim() ? meta.name.trim() : `Import de ${input.fileName}`).slice(0, 200);
  const auditId = await db.transaction(async (tx) => {
    const id = await createAudit(tx, { procedureId: input.procedureId, type: p.type, name, actor: input.actor });
    if (meta) {
      const date = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null);
      const start = date(meta.startedOn);
      const end = date(meta.finishedOn);
      await tx.query(
        `UPDATE accessibility_audits SET site_url = $2, audited_by = $3, tools = $4, started_on = $5, finished_on = $6 WHERE id = $1`,
        [
          id,
          typeof meta.siteUrl === 'string' && /^https?:\/\//.test(meta.siteUrl) ? meta.siteUrl.slice(0, 2000) : null,
          typeof meta.auditedBy === 'string' ? meta.auditedBy.slice(0, 200) : '',
          Array.isArray(meta.tools)
            ? meta.tools
                .filter((t) => typeof t === 'string')
                .map((t) => t.slice(0, 200))
                .slice(0, 30)
            : [],
          start,
          end && start && end < start ? null : end,
        ],
      );
      for (const e of Array.isArray(meta.environments) ? meta.environments.slice(0, 50) : []) {
        if (e && typeof e.browser === 'string' && e.browser.trim() && typeof e.operatingSystem === 'string' && e.operatingSystem.trim()) {
          await addEnvironment(
            tx,
            id,
            {
              assistiveTechnology:
                typeof e.assistiveTechnology === 'string' && e.assistiveTechnology.trim() ? e.assistiveTechnology.slice(0, 100) : null,
              browser: e.browser.slice(0, 100),
              operatingSystem: e.operatingSystem.slice(0, 100),
            },
            input.actor,
            false,
          );
        }
      }
    }
    const processIds = new Map<string, number>();
    for (const [i, name] of p.processes.entries()) {
      const { rows } = await tx.query<{ id: number }>(
        `INSERT INTO accessibility_audit_processes (audit_id, name, position) VALUES ($1, $2, $3) RETURNING id`,
        [id, name, i + 1],
      );
      processIds.set(name, Number(rows[0].id));
    }
    for (const page of p.pages) {
      const pageId = await addPage(tx, {
        auditId: id,
        name: page.name,
        url: page.url,
        kind: page.kind,
        processId: page.process ? processIds.get(page.process)! : null,
        actor: input.actor,
      });
      await tx.query(
        `UPDATE accessibility_results r SET status = v.status, note = v.note
           FROM unnest($2::text[], $3::text[], $4::text[]) AS v(criterion, status, note)
          WHERE r.page_id = $1 AND r.criterion = v.criterion`,
        [pageId, page.rows.map((r) => r.criterion), page.rows.map((r) => r.status), page.rows.map((r) => r.note)],
      );
      const items = page.rows.flatMap((r) => r.items.map((it, n) => ({ ...it, criterion: r.criterion, position: n + 1 })));
      if (items.length) {
        const { rows: inserted } = await tx.query<{ id: number; criterion: string; position: number }>(
          `INSERT INTO accessibility_nc_items (page_id, criterion, position, description, impact, quick_win, recommendation, origin, confirmed)
           SELECT $1, * FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::boolean[], $7::text[], $8::text[], $9::boolean[])
           RETURNING id, criterion, position`,
          [
            pageId,
            items.map((i) => i.criterion),
            items.map((i) => i.position),
            items.map((i) => i.description),
            items.map((i) => i.impact),
            items.map((i) => i.quickWin),
            items.map((i) => i.recommendation),
            items.map((i) => i.origin),
            items.map((i) => i.origin === 'manual' || i.confirmed),
          ],
        );
        const idOf = new Map(inserted.map((r) => [`${r.criterion}#${r.position}`, Number(r.id)]));
        for (const item of items) {
          if (!item.image) continue;
          await tx.query(`INSERT INTO accessibility_nc_images (item_id, content_type, bytes, alt) VALUES ($1, $2, $3, $4)`, [
            idOf.get(`${item.criterion}#${item.position}`),
            item.image.contentType,
            item.image.bytes,
            item.image.alt,
          ]);
        }
      }
    }
    await audit(tx, {
      actor: input.actor,
      action: 'accessibility.audit.import',
      entityType: 'accessibility_audit',
      entityId: id,
      after: { fileName: input.fileName, pages: p.pages.length, rows: rows.length },
    });
    return id;
  });
  return { ok: true, auditId };
}
