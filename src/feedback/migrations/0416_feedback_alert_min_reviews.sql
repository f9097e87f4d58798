-- A satisfaction alert needs enough reviews in its 30-day window (one review at 0 / 10 raised « Satisfaction en
-- baisse »): the minimum is the steering team's setting, kept as data.
INSERT INTO app_settings (key, value) VALUES ('feedback_alert_min_reviews', '10') ON CONFLICT (key) DO NOTHING;
