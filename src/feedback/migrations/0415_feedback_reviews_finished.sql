-- When the visitor reached the end of the questionnaire. A finished review is never reopened by a returning visitor
-- (on a shared computer the next person within the hour would otherwise replace it): only an unfinished one is.
ALTER TABLE feedback_reviews ADD COLUMN finished_at timestamptz;
