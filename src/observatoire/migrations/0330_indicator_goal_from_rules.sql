-- « Objectif : … » is now written from the rule set in force (views/indicator-help.ts, goalSentence): a threshold change
-- no longer leaves a help page saying « 8 sur 10 » after the rules moved to 7,5. The `help` column becomes an optional
-- complement shown after that sentence; the initial texts, which only repeated the thresholds of version 1, are cleared.
UPDATE obs_indicators SET help = '', updated_at = now()
 WHERE help IN ('Objectif : « Oui » ou « Démarche proactive ».', 'Objectif : 8 sur 10 ou plus.', 'Objectif : 100 % de conformité.',
                'Objectif : 0 ou 1 information redemandée.', 'Indicateur informatif : pas d''objectif.', 'Objectif : 85 % ou plus.',
                'Objectif : 99,9 % ou plus.', 'Objectif : moins de 0,4 seconde.', 'Objectif : FranceConnect ou FranceConnect+.');
