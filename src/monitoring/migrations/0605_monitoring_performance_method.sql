-- The observatoire's « performance » is measured by monitoring in a real browser (issue 13).
UPDATE obs_indicators
   SET method = 'Temps de chargement des pages de la démarche mesuré dans un vrai navigateur (Chromium), de la navigation jusqu’à l’événement « load » : moyenne de chaque page sur les 3 mois précédant la fin de la période de l’édition, puis moyenne des pages. Affiché en secondes.'
 WHERE slug = 'performance';
