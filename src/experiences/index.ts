// What the experiences module offers the other modules (docs/architecture.md « Imports between modules »).
export { accessibilityStories } from './accessibility-stories.ts';
export type { AccessibilityStory } from './accessibility-stories.ts';
export { storiesForThemes } from './theme-stories.ts';
export type { ThemeStory } from './theme-stories.ts';
