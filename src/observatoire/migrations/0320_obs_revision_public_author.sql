-- Public pages name the role or the administration behind a correction, never a person's e-mail address (it stays in
-- author_label and the audit log, for the back office). Corrections were made by the steering team only.
ALTER TABLE obs_edition_revisions ADD COLUMN public_author text NOT NULL DEFAULT 'Équipe de pilotage';
