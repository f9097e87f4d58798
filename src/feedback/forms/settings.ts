import { HIDEABLE_HELP_OPTIONS, STEPS, type Lang, type StepDefinition, type TemplateId } from '../questionnaire/template.ts';

/** What a form owner may change, kept per form version. */
export interface FormSettings {
  hiddenSteps: string[];
  hiddenHelpOptions: string[];
  /** Rewording of the intro text of step 1 (the only rewordable block); empty means the default. */
  intro: Partial<Record<Lang, string>>;
  contactEmail: boolean;
}

export const DEFAULT_SETTINGS: FormSettings = { hiddenSteps: [], hiddenHelpOptions: [], intro: {}, contactEmail: false };

export const INTRO_MAX = 300;

export const DEFAULT_INTRO: Record<Lang, string> = {
  fr: 'Aidez-nous à améliorer le service {procedure}. Vos réponses sont anonymes.',
  en: 'Help us improve the service {procedure}. Your answers are anonymous.',
};

/** Reads stored settings defensively: unknown keys and values are dropped. */
export function normaliseSettings(template: TemplateId, value: unknown): FormSettings {
  const v = (value ?? {}) as Partial<FormSettings>;
  const hideableSteps = STEPS[template].filter((s) => s.hideable).map((s) => s.id as string);
  const intro: FormSettings['intro'] = {};
  for (const lang of ['fr', 'en'] as const) {
    const text = v.intro?.[lang];
    if (typeof text === 'string' && text.trim()) intro[lang] = text.trim().slice(0, INTRO_MAX);
  }
  return {
    hiddenSteps: Array.isArray(v.hiddenSteps) ? v.hiddenSteps.filter((s) => hideableSteps.includes(s)) : [],
    hiddenHelpOptions: Array.isArray(v.hiddenHelpOptions) ? v.hiddenHelpOptions.filter((o) => HIDEABLE_HELP_OPTIONS.includes(o)) : [],
    intro,
    contactEmail: v.contactEmail === true,
  };
}

/** The steps a visitor sees for this form version. */
export function visibleSteps(template: TemplateId, settings: FormSettings): StepDefinition[] {
  return STEPS[template].filter((s) => !settings.hiddenSteps.includes(s.id));
}

export function introText(settings: FormSettings, lang: Lang, procedureTitle: string): string {
  return (settings.intro[lang] ?? DEFAULT_INTRO[lang]).replaceAll('{procedure}', procedureTitle);
}
