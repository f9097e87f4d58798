import type { Queryable } from '../../kernel/db/db.ts';
import type { AuditEntry } from '../../kernel/audit/audit.ts';
import { audit } from '../../kernel/audit/audit.ts';
import type { ScanFindingsReader } from '../../monitoring/index.ts';
import { addItem, lockInProgress, rgaaOf, type AuditDetail } from './work.ts';

/**
 * Pulling an automated scan into an audit (the interface: src/monitoring/scan-findings.ts). Each finding of a page
 * whose URL matches a page of the sample becomes an NC item marked « automatique », « à confirmer »: an auditor
 * confirms or discards it. A cell still « non testé » becomes NC (an NC is never weakened, a C or NA set by an auditor
 * is left as it is: the item is kept on the cell, shown once someone sets it NC). « À vérifier » findings become
 * items too, their description saying so. A finding already imported (same rule, criterion and page) is not added
 * twice.
 */

/** URLs compared without the fragment, the trailing slash and the case of the host. */
export function normaliseUrl(url: string): string {
  try {
    const u = new URL(url);
    u.hash = '';
    const text = `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/\/+$/, '')}${u.search}`;
    return text;
  } catch {
    return url.trim().replace(/#.*$/, '').replace(/\/+$/, '');
  }
}

export async function matchScans(
  reader: ScanFindingsReader,
  a: AuditDetail,
): Promise<{ scanId: number; pageUrl: string; finishedAt: Date; findingCount: number; matches: string | null }[]> {
  const pages = new Map(a.pages.filter((p) => p.url).map((p) => [normaliseUrl(p.url!), p.name]));
  const scans = await reader.latestScans(a.procedureId);
  return scans.map((s) => ({ ...s, matches: pages.get(normaliseUrl(s.pageUrl)) ?? null }));
}

export async function importScanFindings(
  tx: Queryable,
  reader: ScanFindingsReader,
  a: AuditDetail,
  scanId: number,
  actor: AuditEntry['actor'],
): Promise<{ items: number; skipped: number } | null> {
  const scans = await reader.latestScans(a.procedureId);
  const scan = scans.find((s) => s.scanId === scanId);
  if (!scan) return null;
  await lockInProgress(tx, a.id);
  const criteria = new Set(rgaaOf(a.rgaaVersion).auditCriteria(a.type));
  const findings = await reader.findings(scanId);
  const pagesByUrl = new Map(a.pages.filter((p) => p.url).map((p) => [normaliseUrl(p.url!), p]));
  let items = 0;
  let skipped = 0;
  for (const f of findings) {
    const page = pagesByUrl.get(normaliseUrl(f.pageUrl || scan.pageUrl));
    if (!page || !criteria.has(f.criterion)) {
      skipped++;
      continue;
    }
    const { rows: existing } = await tx.query(
      `SELECT 1 FROM accessibility_nc_items WHERE page_id = $1 AND criterion = $2 AND scan_rule = $3`,
      [page.id, f.criterion, f.ruleId],
    );
    if (existing[0]) {
      skipped++;
      continue;
    }
    const elements = f.elements
      .slice(0, 5)
      .map((e) => e.selector)
      .join(', ');
    const description =
      `${f.verdict === 'a-verifier' ? 'À vérifier : ' : ''}${f.message}${f.tests.length ? ` (tests ${f.tests.join(', ')})` : ''}${elements ? ` — éléments : ${elements}` : ''}`.slice(
        0,
        5000,
      );
    await addItem(tx, {
      auditId: a.id,
      pageId: page.id,
      criterion: f.criterion,
      description,
      impact: null,
      quickWin: false,
      recommendation: '',
      actor,
      origin: 'automatic',
      scanRule: f.ruleId,
    });
    if (f.verdict === 'non-conforme') {
      await tx.query(
        `UPDATE accessibility_results SET status = 'NC', version = version + 1, updated_at = now() WHERE page_id = $1 AND criterion = $2 AND status = 'NT'`,
        [page.id, f.criterion],
      );
    }
    items++;
  }
  await audit(tx, {
    actor,
    action: 'accessibility.scan.import',
    entityType: 'accessibility_audit',
    entityId: a.id,
    after: { scanId, pageUrl: scan.pageUrl, items, skipped },
  });
  return { items, skipped };
}
