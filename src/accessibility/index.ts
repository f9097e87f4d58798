// What the accessibility module offers the other modules (docs/architecture.md « Imports between modules »).
export { publishedAuditRates, type PublishedAuditRate } from './audits/published-rates.ts';
export { heldDeclarations, type HeldDeclaration } from './declarations/held.ts';
