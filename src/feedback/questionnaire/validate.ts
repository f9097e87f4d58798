import type { Answer } from '../storage/reviews.ts';
import type { FormSettings } from '../forms/settings.ts';
import { T } from '../public/i18n.ts';
import { maskPersonalData } from './mask.ts';
import {
  ADMIN_CHANNELS,
  CLARITY,
  HELP_QUALITY,
  HELP_REACHED,
  HELP_TRIED,
  OTHER_HELP_MAX,
  PROBLEM_KIND,
  SATISFACTION,
  VERBATIM_MAX,
  type Lang,
  type Option,
  type StepDefinition,
} from './template.ts';

/** What a step submission becomes once checked against the published form version. */
export type StepResult =
  | {
      kind: 'ok';
      /** The questions this step answers: their previous answers are replaced. */
      questions: string[];
      answers: Answer[];
      texts?: { verbatim?: string | null; otherHelp?: string | null; contactEmail?: string | null };
      maskedCount: number;
    }
  /** Missing or too long answers: the step is shown again with a message next to each field. */
  | { kind: 'invalid'; errors: Record<string, string> }
  /** Option ids or fields this form version does not have: refused as a whole. */
  | { kind: 'forged' }
  /** The help step needs its follow-up questions first (decided on the server, no JavaScript needed). */
  | { kind: 'follow-ups' };

type Body = Record<string, unknown>;

function single(body: Body, name: string): string | undefined | null {
  const v = body[name];
  if (v === undefined || v === '') return undefined;
  return typeof v === 'string' ? v : null; // null: sent several times, which no form of ours does
}

function list(body: Body, name: string): string[] | null {
  const v = body[name];
  if (v === undefined) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return null;
}

const known = (options: Option[], id: string) => options.some((o) => o.id === id);
const length = (text: string) => [...text].length;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Options of the help question this form version shows. */
export function visibleHelpOptions(settings: FormSettings): Option[] {
  return HELP_TRIED.filter((o) => !settings.hiddenHelpOptions.includes(o.id));
}

/** The follow-up questions that apply to the channels ticked and the answers given, in display order. */
export function followUpKeys(tried: string[], reached: Record<string, string | undefined>): string[] {
  const keys: string[] = [];
  for (const channel of ADMIN_CHANNELS) {
    if (!tried.includes(channel)) continue;
    keys.push(`help_reached_${channel}`);
    if (reached[channel] === 'yes') keys.push(`help_quality_${channel}`);
  }
  return keys;
}

export function validateStep(step: StepDefinition, settings: FormSettings, body: Body, lang: Lang): StepResult {
  switch (step.id) {
    case 'experience': {
      const value = single(body, 'satisfaction');
      if (value === null || (value !== undefined && !known(SATISFACTION, value))) return { kind: 'forged' };
      if (value === undefined) return { kind: 'invalid', errors: { satisfaction: T.required[lang] } };
      return { kind: 'ok', questions: ['satisfaction'], answers: [{ question: 'satisfaction', sub: '', optionId: value }], maskedCount: 0 };
    }
    case 'clarity': {
      const value = single(body, 'clarity');
      if (value === null || (value !== undefined && !known(CLARITY, value))) return { kind: 'forged' };
      return {
        kind: 'ok',
        questions: ['clarity'],
        answers: value ? [{ question: 'clarity', sub: '', optionId: value }] : [],
        maskedCount: 0,
      };
    }
    case 'help':
      return validateHelp(settings, body, lang);
    case 'comment':
      return validateComment(settings, body, lang, false);
    case 'problem':
      return validateComment(settings, body, lang, true);
  }
}

function validateHelp(settings: FormSettings, body: Body, lang: Lang): StepResult {
  const tried = list(body, 'help_tried');
  if (!tried) return { kind: 'forged' };
  const visible = visibleHelpOptions(settings);
  if (tried.some((id) => !known(visible, id)) || new Set(tried).size !== tried.length) return { kind: 'forged' };
  const errors: Record<string, string> = {};
  if (tried.includes('none') && tried.length > 1) errors.help_tried = T.noneExclusive[lang];
  const reached: Record<string, string | undefined> = {};
  for (const channel of ADMIN_CHANNELS) {
    const r = single(body, `help_reached_${channel}`);
    const q = single(body, `help_quality_${channel}`);
    if (r === null || q === null) return { kind: 'forged' };
    if (r !== undefined && (!tried.includes(channel) || !known(HELP_REACHED, r))) return { kind: 'forged' };
    if (q !== undefined && (r !== 'yes' || !known(HELP_QUALITY, q))) return { kind: 'forged' };
    reached[channel] = r;
  }
  const other = single(body, 'help_other');
  if (other === null) return { kind: 'forged' };
  const otherText = other?.trim() ?? '';
  if (otherText && !tried.includes('other')) return { kind: 'forged' };
  if (length(otherText) > OTHER_HELP_MAX) errors.help_other = T.tooLong[lang](OTHER_HELP_MAX);
  if (Object.keys(errors).length) return { kind: 'invalid', errors };

  const shown = typeof body.shown === 'string' ? body.shown.split(',') : [];
  if (followUpKeys(tried, reached).some((key) => !shown.includes(key))) return { kind: 'follow-ups' };

  const answers: Answer[] = tried.map((id) => ({ question: 'help_tried', sub: '', optionId: id }));
  for (const channel of ADMIN_CHANNELS) {
    const r = reached[channel];
    if (!r) continue;
    answers.push({ question: 'help_reached', sub: channel, optionId: r });
    const q = single(body, `help_quality_${channel}`);
    if (q) answers.push({ question: 'help_quality', sub: channel, optionId: q });
  }
  const masked = maskPersonalData(otherText);
  return {
    kind: 'ok',
    questions: ['help_tried', 'help_reached', 'help_quality'],
    answers,
    texts: { otherHelp: masked.text || null },
    maskedCount: masked.count,
  };
}

function validateComment(settings: FormSettings, body: Body, lang: Lang, problem: boolean): StepResult {
  const verbatim = single(body, 'verbatim');
  const email = single(body, 'contact_email');
  const kind = problem ? single(body, 'problem_kind') : undefined;
  if (verbatim === null || email === null || kind === null) return { kind: 'forged' };
  const emailAllowed = problem || settings.contactEmail;
  if (email !== undefined && !emailAllowed) return { kind: 'forged' };
  if (kind !== undefined && !known(PROBLEM_KIND, kind)) return { kind: 'forged' };
  const errors: Record<string, string> = {};
  const text = verbatim?.trim() ?? '';
  if (length(text) > VERBATIM_MAX) errors.verbatim = T.tooLong[lang](VERBATIM_MAX);
  if (problem && !text) errors.verbatim = T.required[lang];
  if (problem && !kind) errors.problem_kind = T.required[lang];
  const address = email?.trim() ?? '';
  if (address && (!EMAIL.test(address) || address.length > 254)) errors.contact_email = T.invalidEmail[lang];
  if (Object.keys(errors).length) return { kind: 'invalid', errors };
  const masked = maskPersonalData(text);
  return {
    kind: 'ok',
    questions: problem ? ['problem_kind'] : [],
    answers: kind ? [{ question: 'problem_kind', sub: '', optionId: kind }] : [],
    texts: { verbatim: masked.text || null, ...(emailAllowed ? { contactEmail: address || null } : {}) },
    maskedCount: masked.count,
  };
}
