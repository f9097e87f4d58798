/** Texts shown in several places (help page, scorecards, API): written once. */
export const SCORE_DEFINITION =
  "Score d'un groupe pour un indicateur : nombre de démarches dont le niveau atteint l'objectif ÷ nombre de démarches dont le niveau est mesuré (non gris), en %, les démarches non réalisables en ligne (« Non ») étant exclues.";

export const SCOPE_RULE =
  "Une démarche entre dans le périmètre de l'observatoire lorsqu'elle compte plus de 200 000 demandes par an ou qu'elle donne accès à une aide financière nationale permanente ; l'équipe de pilotage décide.";
