-- An analysis of a climb on a route (issue 13 item 5): POST /v1/analyses {video_id, route_id}.
-- The worker matches the climber's placements to the route's holds (result route.holds_used).
-- Deleting the route keeps the analysis (its result keeps the holds it used).
ALTER TABLE analyses ADD COLUMN route_id uuid REFERENCES routes (id) ON DELETE SET NULL;
CREATE INDEX analyses_route ON analyses (route_id) WHERE route_id IS NOT NULL;
