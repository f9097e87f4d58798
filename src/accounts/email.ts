import { z } from 'zod';

/** Addresses are kept in lower case: one account per mailbox, whatever the case typed. */
export const emailField = z
  .string({ error: 'Saisissez une adresse électronique.' })
  .trim()
  .toLowerCase()
  .min(1, 'Saisissez une adresse électronique.')
  .max(254, 'L’adresse électronique doit contenir au plus 254 caractères.')
  .pipe(z.email({ error: 'Saisissez une adresse électronique valide, par exemple nom@exemple.gouv.fr.' }));
