import type { NavItem, VigieModule } from '../module.ts';

export type { NavItem };

/**
 * The main navigation: the modules' lines (`VigieModule.navigation`), sorted by `order`. Filled in place by
 * `useNavigation` when the server is built, so that importers keep one live array.
 */
export const NAV_ITEMS: NavItem[] = [];

export function useNavigation(modules: VigieModule[]): void {
  const items = modules.flatMap((module) => module.navigation ?? []);
  // Array.prototype.sort is stable: ties keep the modules' order.
  NAV_ITEMS.splice(0, NAV_ITEMS.length, ...items.sort((a, b) => a.order - b.order));
}
