import type { IndicatorSource } from '../observatoire/index.ts';
import type { RawValue } from '../observatoire/index.ts';
import { contactsPer1000, volumeTotals } from './queries.ts';

/**
 * « Contacts pour 1 000 démarches » (slug `contacts`, migration 0800): the contact-centre contacts of the months of an
 * edition's window per 1 000 online uses of the same duration. No volumes in the window, or no online volume in the
 * catalogue: no value (« - »).
 */
export const supportIndicatorSource: IndicatorSource = {
  name: 'support',
  indicators: ['contacts'],
  async valuesFor(db, procedureIds, window) {
    const totals = await volumeTotals(db, procedureIds, window.start, window.end);
    const result = new Map<number, Record<string, RawValue>>();
    for (const [id, t] of totals) {
      const rate = contactsPer1000(t.contacts, t.months, t.volumeOnline);
      result.set(id, { contacts: rate === null ? null : Math.round(rate * 10_000) / 10_000 });
    }
    return result;
  },
};
