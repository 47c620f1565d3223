-- The climber's profile (F01), training programs with their journal (F10), and each analysis's
-- scores kept beside its result for the statistics (F04).

-- One row per climber who filled in anything; no row = an empty profile. The bounds repeat
-- domain/profile.hpp's so that no other writer can store what the API would refuse; the grade
-- itself is checked against its system when read (store/profiles.cpp).
CREATE TABLE climber_profiles (
  user_id       uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  height_cm     double precision CHECK (height_cm BETWEEN 100 AND 230),
  weight_kg     double precision CHECK (weight_kg BETWEEN 25 AND 200),
  arm_span_cm   double precision CHECK (arm_span_cm BETWEEN 100 AND 250),
  grade_system  text CHECK (grade_system IN ('fontainebleau', 'french', 'v_scale', 'yds')),
  grade         text CHECK (length(grade) BETWEEN 1 AND 8),
  dominant_hand text CHECK (dominant_hand IN ('left', 'right')),
  left_arm      text CHECK (left_arm IN ('injured', 'absent')),
  right_arm     text CHECK (right_arm IN ('injured', 'absent')),
  left_leg      text CHECK (left_leg IN ('injured', 'absent')),
  right_leg     text CHECK (right_leg IN ('injured', 'absent')),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((grade_system IS NULL) = (grade IS NULL))
);

-- A generated plan and its adaptations, as one document (training/program_codec.hpp, format
-- 1). A climber has at most one active program; creating another replaces it (the old one and
-- its journal are kept). `version` grows with every write (optimistic concurrency of the
-- adaptation).
CREATE TABLE programs (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'replaced')),
  document    jsonb NOT NULL,
  version     integer NOT NULL DEFAULT 1,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX programs_one_active ON programs (user_id) WHERE status = 'active';
CREATE INDEX programs_user_created ON programs (user_id, created_at DESC);

-- The journal: sessions the climber did.
CREATE TABLE program_sessions (
  id               uuid PRIMARY KEY,
  program_id       uuid NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  done_on          date NOT NULL,
  drills_done      jsonb NOT NULL CHECK (jsonb_typeof(drills_done) = 'array'),
  perceived_effort integer NOT NULL CHECK (perceived_effort BETWEEN 1 AND 10),
  notes            text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX program_sessions_program ON program_sessions (program_id, done_on, created_at);

-- The scores section of a result ({"global", "technique", ...}), NULL when the result is not a
-- JSON document with one. Never raises: a result PostgreSQL cannot read as jsonb simply has no
-- scores, it does not fail the worker's write.
CREATE FUNCTION analysis_scores(result text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  s jsonb;
BEGIN
  IF result IS NULL THEN
    RETURN NULL;
  END IF;
  s := result::jsonb #> '{biomechanics,summary,scores}';
  IF jsonb_typeof(s) = 'object' THEN
    RETURN s;
  END IF;
  RETURN NULL;
EXCEPTION WHEN others THEN
  RETURN NULL;
END;
$$;

-- Read by the statistics and the programs instead of parsing every result again.
ALTER TABLE analyses ADD COLUMN scores jsonb;

CREATE FUNCTION analyses_keep_scores() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.result_json IS DISTINCT FROM OLD.result_json THEN
    NEW.scores := analysis_scores(NEW.result_json);
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER analyses_scores BEFORE INSERT OR UPDATE OF result_json ON analyses
  FOR EACH ROW EXECUTE FUNCTION analyses_keep_scores();

UPDATE analyses SET scores = analysis_scores(result_json) WHERE result_json IS NOT NULL;
CREATE INDEX analyses_user_completed ON analyses (user_id, created_at) WHERE status = 'completed';
