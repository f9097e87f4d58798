/**
 * Demonstration catalogue: the real French ministries and a selection of their real administrations and operators.
 * Volumes and statuses further down are plausible orders of magnitude, not official figures.
 */
export interface DemoMinistry {
  code: string;
  name: string;
  shortName: string;
}

export interface DemoAdministration {
  code: string;
  ministry: string;
  name: string;
  kind: 'direction' | 'operateur' | 'autre';
  /** The usual help channels of the administration, copied onto its procedures. */
  help: [kind: string, label: string, value: string, hours: string][];
}

export const DEMO_MINISTRIES: DemoMinistry[] = [
  { code: 'interieur', name: 'Ministère de l’Intérieur', shortName: 'Intérieur' },
  {
    code: 'economie',
    name: 'Ministère de l’Économie, des Finances et de la Souveraineté industrielle et numérique',
    shortName: 'Économie et Finances',
  },
  { code: 'travail', name: 'Ministère du Travail et de l’Emploi', shortName: 'Travail' },
  { code: 'solidarites', name: 'Ministère de la Santé et des Solidarités', shortName: 'Solidarités et Santé' },
  { code: 'education', name: 'Ministère de l’Éducation nationale', shortName: 'Éducation nationale' },
  { code: 'enseignement-superieur', name: 'Ministère de l’Enseignement supérieur et de la Recherche', shortName: 'Enseignement supérieur' },
  { code: 'justice', name: 'Ministère de la Justice', shortName: 'Justice' },
  { code: 'armees', name: 'Ministère des Armées', shortName: 'Armées' },
  { code: 'transition-ecologique', name: 'Ministère de la Transition écologique', shortName: 'Transition écologique' },
  { code: 'agriculture', name: 'Ministère de l’Agriculture et de la Souveraineté alimentaire', shortName: 'Agriculture' },
  { code: 'culture', name: 'Ministère de la Culture', shortName: 'Culture' },
  { code: 'affaires-etrangeres', name: 'Ministère de l’Europe et des Affaires étrangères', shortName: 'Europe et Affaires étrangères' },
  { code: 'sports', name: 'Ministère des Sports, de la Jeunesse et de la Vie associative', shortName: 'Sports et Jeunesse' },
];

const form = (url: string): [string, string, string, string] => ['formulaire', 'Formulaire de contact en ligne', url, ''];

export const DEMO_ADMINISTRATIONS: DemoAdministration[] = [
  {
    code: 'ants',
    ministry: 'interieur',
    name: 'Agence nationale des titres sécurisés (ANTS)',
    kind: 'operateur',
    help: [
      ['telephone', 'Serveur vocal de l’ANTS', '34 00', 'Du lundi au vendredi de 8 h à 20 h, le samedi de 9 h à 17 h'],
      form('https://ants.gouv.fr/nous-contacter'),
    ],
  },
  {
    code: 'antai',
    ministry: 'interieur',
    name: 'Agence nationale de traitement automatisé des infractions (ANTAI)',
    kind: 'operateur',
    help: [
      ['telephone', 'Centre d’appels de l’ANTAI', '0 811 10 10 10', 'Du lundi au vendredi de 8 h à 19 h'],
      form('https://www.antai.gouv.fr/contact'),
    ],
  },
  {
    code: 'dgef',
    ministry: 'interieur',
    name: 'Direction générale des étrangers en France (DGEF)',
    kind: 'direction',
    help: [
      ['telephone', 'Centre de contact citoyen', '0 806 001 620', 'Du lundi au vendredi de 9 h à 18 h'],
      ['guichet', 'Préfecture', 'Préfecture de votre département', 'Sur rendez-vous'],
    ],
  },
  {
    code: 'ofii',
    ministry: 'interieur',
    name: 'Office français de l’immigration et de l’intégration (OFII)',
    kind: 'operateur',
    help: [
      ['guichet', 'Direction territoriale de l’OFII', 'Direction territoriale de votre région', 'Sur rendez-vous'],
      form('https://www.ofii.fr/contact'),
    ],
  },
  {
    code: 'dgpn',
    ministry: 'interieur',
    name: 'Direction générale de la police nationale',
    kind: 'direction',
    help: [['chat', 'Brigade numérique', 'https://www.masecurite.interieur.gouv.fr', '24 h sur 24, 7 jours sur 7']],
  },
  {
    code: 'dggn',
    ministry: 'interieur',
    name: 'Direction générale de la gendarmerie nationale',
    kind: 'direction',
    help: [['chat', 'Brigade numérique de la gendarmerie', 'https://www.masecurite.interieur.gouv.fr', '24 h sur 24, 7 jours sur 7']],
  },
  {
    code: 'dsr',
    ministry: 'interieur',
    name: 'Délégation à la sécurité routière',
    kind: 'direction',
    help: [form('https://www.securite-routiere.gouv.fr/contact')],
  },
  {
    code: 'dgfip',
    ministry: 'economie',
    name: 'Direction générale des Finances publiques (DGFiP)',
    kind: 'direction',
    help: [
      ['telephone', 'Numéro national des impôts', '0 809 401 401', 'Du lundi au vendredi de 8 h 30 à 19 h'],
      ['formulaire', 'Messagerie sécurisée', 'https://www.impots.gouv.fr/messagerie', ''],
      ['guichet', 'Service des impôts des particuliers', 'Centre des finances publiques de votre domicile', 'Sur rendez-vous'],
    ],
  },
  {
    code: 'dgddi',
    ministry: 'economie',
    name: 'Direction générale des douanes et droits indirects (DGDDI)',
    kind: 'direction',
    help: [['telephone', 'Infos Douane Service', '0 800 94 40 40', 'Du lundi au vendredi de 8 h 30 à 18 h']],
  },
  {
    code: 'insee',
    ministry: 'economie',
    name: 'Institut national de la statistique et des études économiques (Insee)',
    kind: 'direction',
    help: [form('https://www.insee.fr/fr/information/1912155')],
  },
  {
    code: 'dgccrf',
    ministry: 'economie',
    name: 'Direction générale de la concurrence, de la consommation et de la répression des fraudes (DGCCRF)',
    kind: 'direction',
    help: [['telephone', 'RéponseConso', '0 809 540 550', 'Du lundi au vendredi de 9 h à 12 h']],
  },
  {
    code: 'inpi',
    ministry: 'economie',
    name: 'Institut national de la propriété industrielle (INPI)',
    kind: 'operateur',
    help: [['telephone', 'INPI Direct', '01 56 65 89 98', 'Du lundi au vendredi de 9 h à 18 h']],
  },
  {
    code: 'cdc',
    ministry: 'economie',
    name: 'Caisse des Dépôts – Mon Compte Formation',
    kind: 'operateur',
    help: [['telephone', 'Assistance Mon Compte Formation', '09 70 82 35 51', 'Du lundi au vendredi de 9 h à 17 h']],
  },
  {
    code: 'france-travail',
    ministry: 'travail',
    name: 'France Travail',
    kind: 'operateur',
    help: [
      ['telephone', 'France Travail candidats', '39 49', 'Du lundi au vendredi de 8 h 30 à 16 h 30'],
      ['guichet', 'Agence France Travail', 'Agence de votre lieu de résidence', 'Sur rendez-vous'],
    ],
  },
  {
    code: 'dgt',
    ministry: 'travail',
    name: 'Direction générale du travail',
    kind: 'direction',
    help: [['telephone', 'Renseignements droit du travail', '0 806 000 126', 'Du lundi au vendredi de 8 h 30 à 12 h 30']],
  },
  {
    code: 'dgefp',
    ministry: 'travail',
    name: 'Délégation générale à l’emploi et à la formation professionnelle',
    kind: 'direction',
    help: [form('https://travail-emploi.gouv.fr/contact')],
  },
  {
    code: 'cnaf',
    ministry: 'solidarites',
    name: 'Caisse nationale des allocations familiales (Cnaf)',
    kind: 'operateur',
    help: [
      ['telephone', 'Caf', '32 30', 'Du lundi au vendredi de 9 h à 16 h'],
      ['guichet', 'Accueil Caf', 'Caf de votre département', 'Sur rendez-vous'],
    ],
  },
  {
    code: 'cnam',
    ministry: 'solidarites',
    name: 'Caisse nationale de l’Assurance Maladie (Cnam)',
    kind: 'operateur',
    help: [
      ['telephone', 'Assurance Maladie', '36 46', 'Du lundi au vendredi de 8 h 30 à 17 h 30'],
      ['formulaire', 'Messagerie du compte ameli', 'https://assure.ameli.fr', ''],
    ],
  },
  {
    code: 'cnav',
    ministry: 'solidarites',
    name: 'Caisse nationale d’assurance vieillesse (Cnav)',
    kind: 'operateur',
    help: [['telephone', 'Assurance retraite', '39 60', 'Du lundi au vendredi de 8 h à 17 h']],
  },
  {
    code: 'urssaf',
    ministry: 'solidarites',
    name: 'Urssaf Caisse nationale',
    kind: 'operateur',
    help: [
      ['telephone', 'Urssaf employeurs', '39 57', 'Du lundi au vendredi de 9 h à 17 h'],
      ['formulaire', 'Messagerie sécurisée', 'https://www.urssaf.fr/contact', ''],
    ],
  },
  {
    code: 'cnsa',
    ministry: 'solidarites',
    name: 'Caisse nationale de solidarité pour l’autonomie (CNSA)',
    kind: 'operateur',
    help: [['guichet', 'Maison départementale des personnes handicapées', 'MDPH de votre département', 'Du lundi au vendredi']],
  },
  {
    code: 'dgesco',
    ministry: 'education',
    name: 'Direction générale de l’enseignement scolaire (Dgesco)',
    kind: 'direction',
    help: [['guichet', 'Établissement scolaire', 'Secrétariat de l’établissement', 'Horaires de l’établissement']],
  },
  {
    code: 'cned',
    ministry: 'education',
    name: 'Centre national d’enseignement à distance (Cned)',
    kind: 'operateur',
    help: [['telephone', 'Service inscriptions du Cned', '05 49 49 94 94', 'Du lundi au vendredi de 9 h à 17 h']],
  },
  {
    code: 'siec',
    ministry: 'education',
    name: 'Service interacadémique des examens et concours (SIEC)',
    kind: 'operateur',
    help: [form('https://www.siec.education.fr/contact')],
  },
  {
    code: 'crous',
    ministry: 'enseignement-superieur',
    name: 'Réseau des Crous (Cnous)',
    kind: 'operateur',
    help: [
      ['telephone', 'Numéro vie étudiante', '0 806 000 278', 'Du lundi au vendredi de 9 h à 17 h'],
      ['chat', 'Assistance messervices.etudiant.gouv.fr', 'https://messervices.etudiant.gouv.fr', ''],
    ],
  },
  {
    code: 'dgesip',
    ministry: 'enseignement-superieur',
    name: 'Direction générale de l’enseignement supérieur et de l’insertion professionnelle',
    kind: 'direction',
    help: [['telephone', 'Numéro vert Parcoursup', '0 800 400 070', 'Du lundi au vendredi de 10 h à 16 h']],
  },
  {
    code: 'casier',
    ministry: 'justice',
    name: 'Casier judiciaire national',
    kind: 'direction',
    help: [['courrier', 'Casier judiciaire national', '107 rue Landreau, 44317 Nantes Cedex 3', '']],
  },
  {
    code: 'dsj',
    ministry: 'justice',
    name: 'Direction des services judiciaires',
    kind: 'direction',
    help: [['guichet', 'Service d’accueil unique du justiciable', 'Tribunal le plus proche', 'Du lundi au vendredi']],
  },
  {
    code: 'dacs',
    ministry: 'justice',
    name: 'Direction des affaires civiles et du sceau',
    kind: 'direction',
    help: [form('https://www.justice.fr/contact')],
  },
  {
    code: 'dsnj',
    ministry: 'armees',
    name: 'Direction du service national et de la jeunesse',
    kind: 'direction',
    help: [['telephone', 'Centre du service national', '09 70 84 10 60', 'Du lundi au vendredi de 9 h à 16 h']],
  },
  {
    code: 'onacvg',
    ministry: 'armees',
    name: 'Office national des combattants et des victimes de guerre',
    kind: 'operateur',
    help: [['guichet', 'Service départemental de l’ONaCVG', 'Service de votre département', 'Du lundi au vendredi']],
  },
  {
    code: 'sga',
    ministry: 'armees',
    name: 'Secrétariat général pour l’administration',
    kind: 'direction',
    help: [form('https://www.defense.gouv.fr/contact')],
  },
  {
    code: 'anah',
    ministry: 'transition-ecologique',
    name: 'Agence nationale de l’habitat (Anah)',
    kind: 'operateur',
    help: [['telephone', 'France Rénov’', '0 808 800 700', 'Du lundi au vendredi de 9 h à 18 h']],
  },
  {
    code: 'dgec',
    ministry: 'transition-ecologique',
    name: 'Direction générale de l’énergie et du climat',
    kind: 'direction',
    help: [['telephone', 'Assistance chèque énergie', '0 805 204 805', 'Du lundi au vendredi de 8 h à 21 h']],
  },
  {
    code: 'dgampa',
    ministry: 'transition-ecologique',
    name: 'Direction générale des affaires maritimes, de la pêche et de l’aquaculture',
    kind: 'direction',
    help: [form('https://www.mer.gouv.fr/contact')],
  },
  {
    code: 'asp',
    ministry: 'agriculture',
    name: 'Agence de services et de paiement (ASP)',
    kind: 'operateur',
    help: [['telephone', 'Assistance ASP', '0 809 400 015', 'Du lundi au vendredi de 9 h à 17 h']],
  },
  {
    code: 'msa',
    ministry: 'agriculture',
    name: 'Mutualité sociale agricole (MSA)',
    kind: 'operateur',
    help: [['telephone', 'MSA', '09 69 36 87 00', 'Du lundi au vendredi de 8 h 30 à 17 h']],
  },
  {
    code: 'dgal',
    ministry: 'agriculture',
    name: 'Direction générale de l’alimentation',
    kind: 'direction',
    help: [form('https://agriculture.gouv.fr/contact')],
  },
  { code: 'pass-culture', ministry: 'culture', name: 'pass Culture', kind: 'operateur', help: [form('https://aide.passculture.app')] },
  {
    code: 'dgpa',
    ministry: 'culture',
    name: 'Direction générale des patrimoines et de l’architecture',
    kind: 'direction',
    help: [['guichet', 'Direction régionale des affaires culturelles', 'DRAC de votre région', 'Du lundi au vendredi']],
  },
  {
    code: 'dfae',
    ministry: 'affaires-etrangeres',
    name: 'Direction des Français à l’étranger et de l’administration consulaire',
    kind: 'direction',
    help: [['guichet', 'Consulat', 'Consulat de votre circonscription', 'Sur rendez-vous'], form('https://www.diplomatie.gouv.fr/contact')],
  },
  {
    code: 'djepva',
    ministry: 'sports',
    name: 'Direction de la jeunesse, de l’éducation populaire et de la vie associative',
    kind: 'direction',
    help: [form('https://www.associations.gouv.fr/contact')],
  },
  {
    code: 'ds',
    ministry: 'sports',
    name: 'Direction des sports',
    kind: 'direction',
    help: [['telephone', 'Assistance Pass’Sport', '0 809 549 649', 'Du lundi au vendredi de 9 h à 17 h']],
  },
];
