-- The scale the climber gives a route (issue 14 item 1, PATCH /v1/routes/{id} {"scale"}): a
-- distance between the centres of two of its holds, or the height of wall its image shows. It
-- was the ghost request's (route_ghosts.scale_*, migration 0030); it is the route's now, so that
-- the ghost, its staleness and GET /v1/routes/{id} read one value. Existing ghosts' scales move
-- onto their routes.
--
-- The hold ids are not foreign keys: the store clears the distance in the statement that
-- deletes one of its holds, and when a new detection replaces the route's holds.
ALTER TABLE routes
  ADD COLUMN scale_hold_a         uuid,
  ADD COLUMN scale_hold_b         uuid,
  ADD COLUMN scale_distance_cm    double precision CHECK (scale_distance_cm BETWEEN 1 AND 5000),
  ADD COLUMN scale_wall_height_cm double precision
                                  CHECK (scale_wall_height_cm BETWEEN 100 AND 5000),
  ADD CONSTRAINT routes_scale_distance_whole
      CHECK ((scale_hold_a IS NULL) = (scale_distance_cm IS NULL)
             AND (scale_hold_b IS NULL) = (scale_distance_cm IS NULL)),
  ADD CONSTRAINT routes_scale_one_kind
      CHECK (scale_distance_cm IS NULL OR scale_wall_height_cm IS NULL);

UPDATE routes r
   SET scale_hold_a = g.scale_hold_a, scale_hold_b = g.scale_hold_b,
       scale_distance_cm = g.scale_distance_cm,
       scale_wall_height_cm = CASE WHEN g.scale_distance_cm IS NULL
                                   THEN g.scale_wall_height_cm END
  FROM route_ghosts g
 WHERE g.route_id = r.id
   AND (g.scale_distance_cm IS NOT NULL OR g.scale_wall_height_cm IS NOT NULL);

ALTER TABLE route_ghosts
  DROP COLUMN scale_hold_a,
  DROP COLUMN scale_hold_b,
  DROP COLUMN scale_distance_cm,
  DROP COLUMN scale_wall_height_cm;
