/**
 * What the feedback module exports for other modules (docs/architecture.md, « Imports between modules »): the masking
 * of personal data in free text, and the public forms' anti-abuse (the shared per-address rate limit, counted in the
 * same counters as the questionnaire, and the honeypot field's name). Nothing else of feedback is imported elsewhere.
 */
export { maskPersonalData, type MaskResult } from './questionnaire/mask.ts';
export { overRateLimit, rotatingIpHash, oldCounterCleaner } from './public/abuse.ts';

/** The hidden field robots fill in and people never see: a submission with a value in it is refused. */
export const HONEYPOT_FIELD = 'site_web';
