-- Incidents meeting a window [from, to) are those ending after `from` (an open one never ends) and starting before `to`:
-- found through this index by target and end, without reading a target's older history (the status page, the uptime
-- figures, the observatoire).
CREATE INDEX monitoring_incidents_target_end ON monitoring_incidents (target_id, (coalesce(ended_at, 'infinity'::timestamptz)));
