// What the support module offers the other modules (docs/architecture.md « Imports between modules »).
export { helpPagePath } from './paths.ts';
