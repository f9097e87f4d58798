import type { CurrentUser } from '../auth/scope.ts';
import { hasAnyGrant, isAdmin } from '../auth/scope.ts';

export interface NavItem {
  label: string;
  href: string;
  visible: (user: CurrentUser | null) => boolean;
}

const everyone = () => true;
const signedIn = (user: CurrentUser | null) => hasAnyGrant(user);
const admin = (user: CurrentUser | null) => isAdmin(user);

/** The main navigation, one line per module page; each module adds its own line here. */
export const NAV_ITEMS: NavItem[] = [
  { label: 'Accueil', href: '/', visible: everyone },
  { label: 'Observatoire', href: '/observatoire', visible: everyone },
  { label: 'Catalogue', href: '/catalogue', visible: signedIn },
  { label: 'Avis usagers', href: '/avis', visible: signedIn },
  { label: 'Utilisateurs', href: '/admin/utilisateurs', visible: admin },
  { label: "Journal d'audit", href: '/admin/journal', visible: admin },
  { label: "Boîte d'envoi", href: '/admin/boite-envoi', visible: admin },
];
