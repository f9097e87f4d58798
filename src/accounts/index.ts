// What the accounts module offers the other modules (docs/architecture.md « Imports between modules »).
export { AFTER_SIGN_IN } from './return-path.ts';
export { newPasswordPair, hashPassword } from './passwords.ts';
export { SIGN_UP_RATE_LIMIT } from './routes/password-reset.ts';
export { loginUrl } from './return-path.ts';
export { createInvitedAccount, findUserIdByEmail, setSessionCookie } from './invited-account.ts';
