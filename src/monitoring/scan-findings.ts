/**
 * The one interface between monitoring's automated scans and accessibility's audits (issues 12 and 13).
 * Monitoring produces scans; an auditor pulls a scan's findings into an audit's grid, where each becomes an NC item
 * marked « automatique » (or a note on an « à vérifier » cell), to confirm or discard. Accessibility only reads this
 * shape through `ScanFindingsReader`; it never reads monitoring's tables.
 */
export type ScanVerdict = 'non-conforme' | 'a-verifier';

export interface ScanFinding {
  /** RGAA criterion, e.g. '1.1' (from axe's RGAA tags, never « conforme »). */
  criterion: string;
  /** RGAA tests of the criterion the rule speaks to, e.g. ['1.1.1']; may be empty. */
  tests: string[];
  verdict: ScanVerdict;
  /** The scanned page's URL, which the audit matches against its sample's URLs. */
  pageUrl: string;
  ruleId: string;
  message: string;
  /** Up to a bounded number of elements per finding. */
  elements: { selector: string; html: string }[];
}

export interface ScanSummary {
  scanId: number;
  procedureId: number;
  pageUrl: string;
  finishedAt: Date;
  findingCount: number;
}

export interface ScanFindingsReader {
  /** Latest finished scan of each page of a procedure. */
  latestScans(procedureId: number): Promise<ScanSummary[]>;
  findings(scanId: number): Promise<ScanFinding[]>;
}
