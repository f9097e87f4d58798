-- Alerts and digests by e-mail, per user and form.
CREATE TABLE feedback_alerts (
  user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  form_id bigint NOT NULL REFERENCES feedback_forms(id),
  new_reviews boolean NOT NULL DEFAULT false,
  -- Alert when the satisfaction of the last 30 days falls below this mark (out of 10).
  satisfaction_below numeric,
  digest text NOT NULL DEFAULT 'none' CHECK (digest IN ('none', 'daily', 'weekly', 'monthly')),
  new_reviews_sent_at timestamptz NOT NULL DEFAULT now(),
  -- Reviews up to this id were already announced (or predate the subscription).
  last_review_id bigint NOT NULL DEFAULT 0,
  satisfaction_sent_at timestamptz,
  digest_sent_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, form_id)
);
