import { html, type SafeHtml } from '../kernel/web/html.ts';

/** « Comprendre les intervalles et les tests » (/aide/statistiques): what the intervals and flags mean, in plain French. */
export function statisticsHelp(): SafeHtml {
  return html`<h1>Comprendre les intervalles de confiance et les évolutions</h1>
<p class="fr-text--lead">Une note calculée sur 40 avis n’est pas aussi sûre qu’une note calculée sur 4 000 avis. Vigie le dit à côté de chaque indicateur.</p>

<h2>L’intervalle de confiance à 95 %</h2>
<p>À côté de chaque valeur, Vigie affiche une plage, par exemple « 7,2 à 7,8 / 10 », et le nombre de réponses sur lequel elle repose.
Si l’on pouvait interroger à nouveau d’autres usagers de la même démarche, la vraie valeur se trouverait dans cette plage 95 fois sur 100.
Plus il y a de réponses, plus la plage est étroite. Une plage large veut dire : il faut rester prudent.</p>

<h2>« incertain » à côté d’un niveau</h2>
<p>Les niveaux (vert, jaune, rouge) dépendent de seuils : par exemple 8 sur 10 pour la satisfaction.
Quand la plage de confiance passe de part et d’autre d’un seuil (par exemple de 7,6 à 8,3), on ne peut pas dire de quel côté est vraiment la démarche :
le niveau est affiché avec la mention « incertain ». En dessous du nombre minimal d’avis, la valeur n’est pas publiée : « Nombre d’avis insuffisant ».</p>

<h2>« hausse significative », « baisse significative » ou « stable »</h2>
<p>Entre deux éditions, ou entre deux périodes, une note peut bouger un peu par le seul hasard des réponses.
Vigie ne signale une hausse ou une baisse que si un test statistique montre qu’elle est très peu probable par hasard ; sinon, l’évolution est dite « stable ».
Comme on compare beaucoup de démarches et d’indicateurs à la fois, quelques écarts passeraient pour réels par pur hasard :
Vigie applique une correction (la procédure de Benjamini–Hochberg) sur l’ensemble des comparaisons, pour qu’au plus 5 % environ des évolutions signalées soient des fausses alertes.</p>

<h2>Les méthodes</h2>
<ul>
  <li><strong>Parts</strong> (aide joignable, niveau d’autonomie, part des démarches qui atteignent l’objectif) :
    intervalle de Wilson. Contrairement à l’intervalle « classique », il reste entre 0 et 100 % et reste fiable avec peu de réponses ou une part proche de 0 ou de 100 %.</li>
  <li><strong>Notes moyennes</strong> (satisfaction, clarté du langage, qualité de l’aide, notées de 0 à 10) :
    intervalle de Student sur la moyenne, borné à l’échelle de 0 à 10. Pourquoi : les notes sont bornées, leur dispersion est donc limitée et la moyenne se comporte
    comme une loi normale dès quelques dizaines de réponses ; c’est la même mesure de dispersion que celle du test de Welch utilisé pour comparer deux périodes,
    si bien que les intervalles et les évolutions racontent la même chose. Quand toutes les réponses donnent la même note, l’intervalle de Student serait réduit à un point :
    Vigie utilise alors l’intervalle de Wilson de la moyenne ramenée entre 0 et 1, le plus prudent possible pour cette moyenne. Avec une seule réponse, l’intervalle est toute l’échelle.</li>
  <li><strong>Évolution d’une part</strong> : test de comparaison de deux proportions (test z, sans correction de continuité) ; intervalle de l’écart de Newcombe.</li>
  <li><strong>Évolution d’une moyenne</strong> : test de Welch, qui n’exige pas que les deux périodes aient la même dispersion ; intervalle de l’écart de Welch.</li>
  <li><strong>Plusieurs comparaisons</strong> : procédure de Benjamini–Hochberg, taux de fausses découvertes de 5 %, sur toutes les démarches et tous les indicateurs d’une même comparaison.</li>
  <li><strong>Effet d’un défi</strong> : avant, après et écart avec leur intervalle ; avec au moins six semaines de points de chaque côté, une série temporelle interrompue
    (régression segmentée : changement de niveau et de pente au lancement, avec leurs intervalles) ; et, à titre indicatif, une double différence avec les autres démarches du même ministère.</li>
</ul>
<h2>Les mesures qui ne sont pas des échantillons</h2>
<p>Un intervalle de confiance dit jusqu’où une valeur tirée de quelques réponses peut s’écarter de celle de tous les usagers. Il n’a de sens que s’il y a un tirage.
La <strong>disponibilité</strong> est une mesure de temps : chaque minute est observée par la surveillance, il n’y a pas de tirage, donc pas d’intervalle ; la durée surveillée est donnée à côté.
Le <strong>taux de conformité RGAA</strong> d’un audit porte sur tous les critères applicables des pages auditées, qui sont choisies et non tirées au hasard : pas d’intervalle ; le nombre de critères applicables est donné à côté.
L’<strong>usage en ligne</strong> et les <strong>contacts pour 1 000 démarches</strong> comptent toutes les démarches et tous les contacts déclarés : pas d’intervalle.
Les <strong>temps de chargement</strong> mesurés sont, eux, un échantillon : leur moyenne a un intervalle (loi de Student), indicatif car les mesures d’un même robot se suivent.</p>
<p>Tous ces calculs partent des comptes par note (nombre de réponses, somme et somme des carrés des notes), jamais des réponses une à une.
Les valeurs exactes (bornes, nombre de réponses, p-valeur, significativité) sont données dans l’API et les exports.</p>`;
}
