-- The observatoire's public procedure page links to the feedback statistics a team published: publishing or
-- withdrawing them changes what public pages show, so it bumps the public version like the observatoire's own tables.
CREATE TRIGGER feedback_public_stats_public_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON feedback_public_stats
  FOR EACH STATEMENT EXECUTE FUNCTION obs_bump_public_version();
