-- The trigram index of verbatims served only searches in verbatims, yet every review went into it, most of them
-- without a verbatim (GIN keeps an entry for NULL too): one more index update per first step, the hot path. Only the
-- reviews with a verbatim are indexed now; the answers-list search says `verbatim IS NOT NULL` so it still uses it.
DROP INDEX feedback_reviews_verbatim;
CREATE INDEX feedback_reviews_verbatim ON feedback_reviews USING gin (search_text(verbatim) gin_trgm_ops) WHERE verbatim IS NOT NULL;
