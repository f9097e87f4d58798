-- Per-cell provenance (issues 12 and 13): a live indicator's value that its source took from what people entered by
-- hand (no valid declaration, no monitoring) is frozen with that mark, shown « saisie manuelle » on the public pages and
-- in the exports. Editions published before this column keep false: their provenance was not recorded.
ALTER TABLE obs_edition_values ADD COLUMN entered_by_hand boolean NOT NULL DEFAULT false;
