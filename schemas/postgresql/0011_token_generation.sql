-- Revocation that really revokes (issue 10 #4): every access token carries the account's token
-- generation ("gen"). A logout of every session, a new password and a role change raise it, so
-- every access token issued before is refused at once (the API caches an account's generation
-- for at most 2 s, so another instance refuses them within that); a deleted account has no row, so its
-- tokens are refused too. Open WebSockets are re-checked on the same schedule and closed.
ALTER TABLE users ADD COLUMN token_generation bigint NOT NULL DEFAULT 0;
