-- The observatoire's « uptime » is measured by monitoring in time, not in number of probes (issue 13).
UPDATE obs_indicators
   SET method = 'Temps où les pages de la démarche répondaient correctement ÷ temps surveillé hors maintenances annoncées, sur les 3 mois précédant la fin de la période de l’édition. Une panne compte de sa première défaillance confirmée par une seconde tentative jusqu’au premier succès qui la clôt ; le calcul se fait en temps, pas en nombre de sondes.'
 WHERE slug = 'uptime';
