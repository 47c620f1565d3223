-- Ghost mode (issue 14, docs/ghost.md "Through the running system"): one ghost per route, the
-- document its job computed and the fingerprint of the inputs it was computed from (holds,
-- selection, scale, profile), so that a ghost whose inputs changed reads as stale.
--
-- dispatch counts the times the ghost's job was handed to vision.ghost; job messages carry it
-- and the worker skips a message whose number is not the row's (a stale copy). The ghost goes
-- with its route, and with its user (erasure).
CREATE TABLE route_ghosts (
  route_id              uuid PRIMARY KEY REFERENCES routes (id) ON DELETE CASCADE,
  user_id               uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status                text NOT NULL CHECK (status IN ('computing', 'ready', 'failed')),
  scale_hold_a          uuid,
  scale_hold_b          uuid,
  scale_distance_cm     double precision CHECK (scale_distance_cm BETWEEN 1 AND 5000),
  scale_wall_height_cm  double precision CHECK (scale_wall_height_cm BETWEEN 100 AND 5000),
  requested_fingerprint text NOT NULL,
  fingerprint           text NOT NULL DEFAULT '',
  document              text NOT NULL DEFAULT '',
  error_code            text,
  error_message         text,
  job_id                uuid NOT NULL,
  dispatch              integer NOT NULL DEFAULT 1 CHECK (dispatch >= 1),
  attempts              integer NOT NULL DEFAULT 0,
  requested_at          timestamptz NOT NULL,
  computed_at           timestamptz,
  updated_at            timestamptz NOT NULL DEFAULT now(),
  CHECK ((scale_hold_a IS NULL) = (scale_distance_cm IS NULL)
         AND (scale_hold_b IS NULL) = (scale_distance_cm IS NULL))
);
CREATE INDEX route_ghosts_user ON route_ghosts (user_id);
