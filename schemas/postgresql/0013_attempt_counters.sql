-- Login lock-out and the registration limit (issue 10 #8): failed logins per account and per
-- client address, registrations per client address, counted here so that every API instance
-- agrees. One row per key ("account:<email>", "address:<ip>", "register:<ip>"); the rules are the
-- LoginGuard service's (src/services/login_guard.hpp).
CREATE TABLE attempt_counters (
  key          text PRIMARY KEY,
  count        integer NOT NULL,
  window_start timestamptz NOT NULL,
  locked_until timestamptz
);
CREATE INDEX attempt_counters_window ON attempt_counters (window_start);
