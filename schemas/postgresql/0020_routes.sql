-- Routes (F06): a wall photo, or the wall image built from an analysed climb video, with the
-- holds found on it and the corrections climbers make to them (docs/routes.md).
--
-- routes.dispatch counts the times a route's detection job was handed to vision.holds (by a
-- detect request or the reaper); job messages carry it and the worker skips a message whose
-- number is not the row's (a stale copy). Everything of a route goes with its user (erasure).
CREATE TABLE routes (
  id              uuid PRIMARY KEY,
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  source          text NOT NULL CHECK (source IN ('photo', 'analysis')),
  analysis_id     uuid REFERENCES analyses (id) ON DELETE SET NULL,
  image_key       text NOT NULL,
  content_type    text NOT NULL,
  status          text NOT NULL DEFAULT 'awaiting_upload'
                  CHECK (status IN ('awaiting_upload', 'detecting', 'ready', 'failed')),
  progress        integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  stage           text NOT NULL DEFAULT '',
  name            text,
  grade           text,
  grade_system    text,
  wall_angle_deg  double precision,
  image_width     integer NOT NULL DEFAULT 0,
  image_height    integer NOT NULL DEFAULT 0,
  reference_ms    bigint,
  error_code      text,
  error_message   text,
  job_id          uuid NOT NULL,
  dispatch        integer NOT NULL DEFAULT 0,
  attempts        integer NOT NULL DEFAULT 0,
  requeues        integer NOT NULL DEFAULT 0,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  detected_at     timestamptz,
  CHECK ((grade IS NULL) = (grade_system IS NULL))
);
CREATE INDEX routes_user_created ON routes (user_id, created_at DESC);
CREATE INDEX routes_detecting ON routes (updated_at) WHERE status = 'detecting';

-- A hold: its outline as a JSON array of [x, y] image pixels.
CREATE TABLE route_holds (
  id          uuid PRIMARY KEY,
  route_id    uuid NOT NULL REFERENCES routes (id) ON DELETE CASCADE,
  origin      text NOT NULL CHECK (origin IN ('detected', 'manual')),
  outline     jsonb NOT NULL,
  centre_x    double precision NOT NULL,
  centre_y    double precision NOT NULL,
  colour      text NOT NULL,
  measured_r  integer,
  measured_g  integer,
  measured_b  integer,
  size        text NOT NULL,
  confidence  double precision NOT NULL,
  role        text CHECK (role IN ('start', 'top', 'hand', 'foot')),
  selected    boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX route_holds_route ON route_holds (route_id);

-- Every correction, with the corrected hold's origin and the time (the hold may be gone).
CREATE TABLE route_corrections (
  id        bigserial PRIMARY KEY,
  route_id  uuid NOT NULL REFERENCES routes (id) ON DELETE CASCADE,
  hold_id   uuid NOT NULL,
  action    text NOT NULL CHECK (action IN ('added', 'deleted', 'moved', 'reshaped', 'recoloured',
                                            'role', 'selected', 'deselected')),
  origin    text NOT NULL CHECK (origin IN ('detected', 'manual')),
  at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX route_corrections_route ON route_corrections (route_id);

-- The route a detection job's outbox row is for, so that the reaper can tell a job still
-- waiting to be published from one the broker lost.
ALTER TABLE outbox ADD COLUMN route_id uuid REFERENCES routes (id) ON DELETE CASCADE;
CREATE INDEX outbox_route ON outbox (route_id) WHERE route_id IS NOT NULL;
