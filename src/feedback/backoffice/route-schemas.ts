import { z } from 'zod';
import { idParam, idParamsOr404 } from '../../kernel/web/ids.ts';
import { searchText } from '../../kernel/web/schemas.ts';
import { parseOption } from '../storage/answers-query.ts';
import { SORT_KEYS } from './group-sort.ts';

/**
 * Route schemas of the feedback back office (zod, src/kernel/web/schemas.ts). An id of the URL that cannot be one is
 * the same 404 as an id that names nothing (`notFound` of access.ts). The queries are a list's or a dashboard's
 * filters: a hand-edited value falls back to its default, and a window that cannot be used is said on the page
 * (parseWindow), as before.
 */

/** `{ id }` of the URL: its 404 is the page's own, « Ce formulaire n’existe pas ou plus. ». */
export const notFoundParams = (what: string) => idParamsOr404('Page non trouvée', `${what} n’existe pas ou plus.`);
export const formParams = notFoundParams('Ce formulaire');

/** A date of the window (debut, fin) as sent: parseWindow checks it and says why it was not used. */
const date = z.union([z.string(), z.array(z.string())]).optional();
export const windowFields = { debut: date, fin: date };
export const windowQuery = z.looseObject(windowFields);

/** A filter by id (`?bouton=…`): another value than an id is no filter. */
export const optionalId = idParam().optional().catch(undefined);

/** The procedure dashboard: its window and the button it is narrowed to. */
export const dashboardQuery = z.looseObject({ ...windowFields, bouton: optionalId });

/** The administration and ministry dashboards: the window and the sort of the procedures table (parseSort). */
export const groupQuery = z.looseObject({
  ...windowFields,
  tri: z.enum(SORT_KEYS).optional().catch(undefined),
  ordre: z.enum(['asc', 'desc']).optional().catch(undefined),
});

const PAGE = /^[1-9]\d{0,5}$/;
/** The answers list's filters, also those of its exports (parseAnswerFilters). */
export const answersQuery = z.looseObject({
  ...windowFields,
  page: z
    .unknown()
    .optional()
    .transform((value) => (typeof value === 'string' && PAGE.test(value) ? Number(value) : 1)),
  q: searchText(200),
  bouton: optionalId,
  option: z.unknown().optional().transform(parseOption),
  verbatim: z.enum(['avec', 'sans']).optional().catch(undefined),
});
export type AnswersQuery = z.output<typeof answersQuery>;
