-- Reviews of held requests and time-boxed grants: indexed columns, and the value itself as JSON.
-- Instants are epoch milliseconds (INTEGER), so they compare as numbers.
CREATE TABLE records (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,             -- review | grant
  state       TEXT NOT NULL,             -- ReviewState wire name
  requester   TEXT NOT NULL,             -- the requester's user name
  fingerprint TEXT,                      -- reviews: the held request's fingerprint
  created     INTEGER NOT NULL,
  expires     INTEGER NOT NULL,
  valid_until INTEGER,
  version     INTEGER NOT NULL,
  change_seq  INTEGER NOT NULL,
  settled     INTEGER NOT NULL,          -- 1 once the change's audit event is durable
  value       TEXT NOT NULL
);
CREATE INDEX records_kind_state_created ON records(kind, state, created);
CREATE INDEX records_requester ON records(requester, kind, state);
CREATE INDEX records_fingerprint ON records(fingerprint, state);
CREATE INDEX records_expires ON records(state, expires);
CREATE INDEX records_valid_until ON records(state, valid_until);
CREATE INDEX records_change_seq ON records(change_seq);
-- one pending review per requester and request: a retry finds the open review instead of opening another
CREATE UNIQUE INDEX records_one_pending ON records(requester, fingerprint) WHERE kind = 'review' AND state = 'pending';

-- The store-wide change sequence: one row, bumped by every write.
CREATE TABLE change_sequence (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
INSERT INTO change_sequence (id, value) VALUES (1, 0);
