import type { Db, Queryable } from '../kernel/db/db.ts';
import type { ScanFinding, ScanFindingsReader, ScanSummary } from './scan-findings.ts';
import { declarationPresence, toFindings } from './scanner/findings.ts';
import type { PageOutcome } from './scanner/protocol.ts';
import type { BrowserScanner } from './scanner/scanner.ts';

/**
 * Scans: which target is next (daily by default, least recently scanned first, on demand first of all), the
 * browser's outcome saved (page load for « performance », findings, declaration presence), what changed since the
 * previous scan, and the reader the accessibility module uses (scan-findings.ts).
 */

export const SCAN_EVERY_SECONDS = 86_400;

/** Claims the next page to scan (one worker per page: SKIP LOCKED and a claim time), or null. */
export async function claimScan(db: Queryable, now = new Date()): Promise<{ targetId: number; procedureId: number; url: string } | null> {
  const { rows } = await db.query(
    `UPDATE monitoring_targets SET scan_claimed_at = $1, scan_requested = false
      WHERE id = (SELECT id FROM monitoring_targets
                   WHERE active AND (scan_requested OR last_scan_at IS NULL OR last_scan_at < $1::timestamptz - make_interval(secs => $2))
                     AND (scan_claimed_at IS NULL OR scan_claimed_at < $1::timestamptz - interval '10 minutes')
                   ORDER BY scan_requested DESC, last_scan_at NULLS FIRST, id LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id, procedure_id, url`,
    [now, SCAN_EVERY_SECONDS],
  );
  return rows[0] ? { targetId: Number(rows[0].id), procedureId: Number(rows[0].procedure_id), url: rows[0].url } : null;
}

export async function saveScan(
  db: Db,
  target: { targetId: number; procedureId: number; url: string },
  location: string,
  outcome: PageOutcome,
  now = new Date(),
): Promise<number> {
  return db.transaction(async (tx) => {
    const findings = outcome.ok ? toFindings(target.url, outcome.violations, outcome.incomplete) : [];
    const presence = outcome.ok ? declarationPresence(outcome.text, outcome.links) : null;
    const { rows } = await tx.query(
      `INSERT INTO monitoring_scans (target_id, procedure_id, page_url, location, finished_at, error, error_message, notes, finding_count,
                                     declaration_mention, declaration_link, declared_rate, declared_date)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [
        target.targetId,
        target.procedureId,
        target.url,
        location,
        now,
        outcome.ok ? null : outcome.error,
        outcome.ok ? null : outcome.errorMessage,
        outcome.notes.slice(0, 20),
        findings.length,
        presence?.mention ?? null,
        presence?.link ?? null,
        presence?.rate ?? null,
        presence?.date ?? null,
      ],
    );
    const scanId = Number(rows[0].id);
    for (const f of findings) {
      await tx.query(
        `INSERT INTO monitoring_scan_findings (scan_id, criterion, tests, verdict, rule_id, message, elements) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT DO NOTHING`,
        [scanId, f.criterion, f.tests, f.verdict, f.ruleId, f.message, JSON.stringify(f.elements)],
      );
    }
    await tx.query(
      `INSERT INTO monitoring_page_loads (target_id, measured_at, load_ms, lcp_ms, bytes, error) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        target.targetId,
        now,
        outcome.ok ? outcome.loadMs : null,
        outcome.ok ? outcome.lcpMs : null,
        outcome.ok ? outcome.bytes : null,
        outcome.ok ? null : outcome.error,
      ],
    );
    await tx.query(`UPDATE monitoring_targets SET last_scan_at = $2, scan_claimed_at = NULL WHERE id = $1`, [target.targetId, now]);
    return scanId;
  });
}

/** Findings new since the previous scan of the same page, and those fixed (present before, gone now), by rule and criterion. */
export async function scanChanges(db: Queryable, scanId: number): Promise<{ added: string[]; fixed: string[] }> {
  const { rows } = await db.query(
    `SELECT (SELECT array_agg(f.rule_id || ' ' || f.criterion || ' ' || f.verdict ORDER BY 1) FROM monitoring_scan_findings f WHERE f.scan_id = s.id) AS now,
            (SELECT array_agg(f.rule_id || ' ' || f.criterion || ' ' || f.verdict ORDER BY 1) FROM monitoring_scan_findings f WHERE f.scan_id = p.id) AS before
       FROM monitoring_scans s
       LEFT JOIN LATERAL (SELECT id FROM monitoring_scans p WHERE p.target_id = s.target_id AND p.finished_at < s.finished_at AND p.error IS NULL ORDER BY p.finished_at DESC LIMIT 1) p ON true
      WHERE s.id = $1`,
    [scanId],
  );
  const now = new Set<string>(rows[0]?.now ?? []);
  const before = new Set<string>(rows[0]?.before ?? []);
  return { added: [...now].filter((k) => !before.has(k)).sort(), fixed: [...before].filter((k) => !now.has(k)).sort() };
}

/** The implementation of the interface agreed with the accessibility module. */
export function scanFindingsReader(db: Queryable): ScanFindingsReader {
  return {
    async latestScans(procedureId: number): Promise<ScanSummary[]> {
      const { rows } = await db.query(
        `SELECT DISTINCT ON (page_url) id, procedure_id, page_url, finished_at, finding_count FROM monitoring_scans
          WHERE procedure_id = $1 AND error IS NULL ORDER BY page_url, finished_at DESC, id DESC`,
        [procedureId],
      );
      return rows.map((r) => ({
        scanId: Number(r.id),
        procedureId: Number(r.procedure_id),
        pageUrl: r.page_url,
        finishedAt: new Date(r.finished_at),
        findingCount: Number(r.finding_count),
      }));
    },
    async findings(scanId: number): Promise<ScanFinding[]> {
      const { rows } = await db.query(
        `SELECT f.criterion, f.tests, f.verdict, s.page_url, f.rule_id, f.message, f.elements FROM monitoring_scan_findings f
           JOIN monitoring_scans s ON s.id = f.scan_id WHERE f.scan_id = $1 ORDER BY f.criterion, f.rule_id, f.verdict`,
        [scanId],
      );
      return rows.map((r) => ({
        criterion: r.criterion,
        tests: [...r.tests],
        verdict: r.verdict,
        pageUrl: r.page_url,
        ruleId: r.rule_id,
        message: r.message,
        elements: typeof r.elements === 'string' ? JSON.parse(r.elements) : r.elements,
      }));
    },
  };
}

/**
 * Scans pages within a budget of pages per hour (a setting), spread evenly over the hour (one page every
 * 3 600 ÷ budget seconds), least recently scanned first: every target gets its turn. More capacity comes from more
 * workers (each has its own budget and browser), not from a bigger machine.
 */
export class ScanWorker {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  constructor(
    private readonly db: Db,
    private readonly scanner: BrowserScanner,
    private readonly location: string,
    private readonly pagesPerHour: number,
  ) {}

  start(): void {
    if (this.pagesPerHour <= 0) return;
    this.timer = setInterval(() => void this.once().catch(() => {}), Math.round(3_600_000 / this.pagesPerHour));
    this.timer.unref();
  }

  async once(now = new Date()): Promise<number | null> {
    if (this.busy) return null;
    this.busy = true;
    try {
      const target = await claimScan(this.db, now);
      if (!target) return null;
      const outcome = await this.scanner.scan(target.url);
      return await saveScan(this.db, target, this.location, outcome, now);
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.scanner.close();
  }
}
