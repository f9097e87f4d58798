// What the accounts module offers the other modules (docs/architecture.md « Imports between modules »).
export { AFTER_SIGN_IN } from './return-path.ts';
