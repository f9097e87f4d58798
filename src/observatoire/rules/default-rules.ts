import type { RuleSet } from './model.ts';

/** The default rule set (version 1), from the spec's indicators table; the steering team edits later versions. */
export const DEFAULT_RULES: Omit<RuleSet, 'version'> = {
  grayLabels: { none: '-', a_venir: 'À venir', avis_insuffisants: "Nombre d'avis insuffisant", non_applicable: 'Non applicable' },
  indicators: {
    online: {
      kind: 'category',
      levels: [
        { label: 'Oui', colour: 'green', goal: true, values: ['oui'] },
        { label: 'En cours de déploiement local', colour: 'green', goal: false, values: ['en_cours'] },
        { label: 'Partiel', colour: 'yellow', goal: false, values: ['partiel'] },
        { label: 'Non', colour: 'red', goal: false, values: ['non'] },
        { label: 'Démarche proactive', colour: 'blue', goal: true, values: ['proactive'] },
      ],
    },
    satisfaction: {
      kind: 'number',
      min: 0,
      max: 10,
      levels: [
        { label: 'Très bien', colour: 'green', goal: true, from: 8 },
        { label: 'Moyen', colour: 'yellow', goal: false, from: 5 },
        { label: 'Pas bien', colour: 'red', goal: false, from: 0 },
      ],
    },
    handicap: {
      kind: 'number',
      min: 0,
      max: 100,
      levels: [
        { label: 'Oui', colour: 'green', goal: true, from: 100 },
        { label: 'Partiel', colour: 'yellow', goal: false, from: 50 },
        { label: 'Non', colour: 'red', goal: false, from: 0 },
      ],
    },
    dlnuf: {
      kind: 'number',
      min: 0,
      levels: [
        { label: 'Optimal', colour: 'green', goal: true, from: 0 },
        { label: 'Partiel', colour: 'yellow', goal: false, from: 2 },
        { label: 'Faible', colour: 'red', goal: false, from: 5 },
      ],
    },
    usage: { kind: 'number', min: 0, max: 100, informative: true, levels: [] },
    simplicity: {
      kind: 'number',
      min: 0,
      max: 10,
      levels: [
        { label: 'Très bien', colour: 'green', goal: true, from: 8 },
        { label: 'Moyen', colour: 'yellow', goal: false, from: 5 },
        { label: 'Pas bien', colour: 'red', goal: false, from: 0 },
      ],
    },
    help_reachable: {
      kind: 'number',
      min: 0,
      max: 100,
      levels: [
        { label: 'Optimal', colour: 'green', goal: true, from: 85 },
        { label: 'Moyen', colour: 'yellow', goal: false, from: 70 },
        { label: 'Faible', colour: 'red', goal: false, from: 0 },
      ],
    },
    help_efficient: {
      kind: 'number',
      min: 0,
      max: 10,
      levels: [
        { label: 'Optimal', colour: 'green', goal: true, from: 8 },
        { label: 'Moyen', colour: 'yellow', goal: false, from: 5 },
        { label: 'Faible', colour: 'red', goal: false, from: 0 },
      ],
    },
    help_used: { kind: 'number', min: 0, max: 100, informative: true, levels: [] },
    uptime: {
      kind: 'number',
      min: 0,
      max: 100,
      levels: [
        { label: 'Optimal', colour: 'green', goal: true, from: 99.9 },
        { label: 'Partiel', colour: 'yellow', goal: false, from: 98.5 },
        { label: 'Faible', colour: 'red', goal: false, from: 0 },
      ],
    },
    performance: {
      kind: 'number',
      min: 0,
      levels: [
        { label: 'Optimal', colour: 'green', goal: true, from: 0 },
        { label: 'Moyen', colour: 'yellow', goal: false, from: 400 },
        { label: 'Lent', colour: 'red', goal: false, from: 800 },
      ],
    },
    auth: {
      kind: 'category',
      levels: [
        { label: 'FranceConnect+', colour: 'blue', goal: true, values: ['franceconnect_plus'] },
        { label: 'FranceConnect', colour: 'blue', goal: true, values: ['franceconnect'] },
        { label: 'Non', colour: 'red', goal: false, values: ['non'] },
        { label: 'Non applicable', colour: 'gray', goal: false, values: ['non_applicable'] },
      ],
    },
    // Added by the support module (migration 0800): contact-centre contacts per 1 000 online uses.
    contacts: { kind: 'number', min: 0, informative: true, levels: [] },
  },
};
