/** The public « Obtenir de l'aide » page of a procedure (channels and nearest help points, no JavaScript). */
export function helpPagePath(procedureId: number): string {
  return `/aide/demarches/${procedureId}`;
}
