/** Messages between Vigie and the browser child process (scanner/child.ts). */
export interface ChildRequest {
  id: number;
  url: string;
  timeoutMs: number;
  maxBytes: number;
}

export interface AxeRule {
  id: string;
  help: string;
  tags: string[];
  nodes: { target: string; html: string; message: string }[];
}

export type PageOutcome =
  | {
      ok: true;
      status: number | null;
      loadMs: number | null;
      lcpMs: number | null;
      bytes: number;
      text: string;
      links: { text: string; href: string }[];
      violations: AxeRule[];
      incomplete: AxeRule[];
      notes: string[];
    }
  | {
      ok: false;
      /** timeout, redirects, too-large, navigation, crash, killed (the parent's watchdog) */
      error: string;
      errorMessage: string;
      notes: string[];
    };
