-- The replicas' shared review store (store: kind: postgres): the same table and change sequence as the embedded
-- SQLite store (db/reviews), so one SQL serves both. Instants are epoch milliseconds.
CREATE TABLE records (
  id          TEXT PRIMARY KEY,
  kind        TEXT NOT NULL,             -- review | grant
  state       TEXT NOT NULL,             -- ReviewState wire name
  requester   TEXT NOT NULL,             -- the requester's user name
  fingerprint TEXT,                      -- reviews: the held request's fingerprint
  created     BIGINT NOT NULL,
  expires     BIGINT NOT NULL,
  valid_until BIGINT,
  version     BIGINT NOT NULL,
  change_seq  BIGINT NOT NULL,
  settled     INTEGER NOT NULL,          -- 1 once the change's audit event is durable
  value       TEXT NOT NULL,
  written     BIGINT,                    -- when an unsettled change was written (to undo an abandoned one)
  previous    TEXT                       -- the value an unsettled change replaced
);
CREATE INDEX records_kind_state_created ON records(kind, state, created);
CREATE INDEX records_requester ON records(requester, kind, state);
CREATE INDEX records_fingerprint ON records(fingerprint, state);
CREATE INDEX records_expires ON records(state, expires);
CREATE INDEX records_valid_until ON records(state, valid_until);
CREATE INDEX records_change_seq ON records(change_seq);
CREATE INDEX records_unsettled ON records(settled, written);
-- one pending review per requester and request: a retry finds the open review instead of opening another
CREATE UNIQUE INDEX records_one_pending ON records(requester, fingerprint) WHERE kind = 'review' AND state = 'pending';

-- The store-wide change sequence: one row, bumped (and so locked) first by every write, so writes commit in order.
CREATE TABLE change_sequence (id INTEGER PRIMARY KEY CHECK (id = 1), value BIGINT NOT NULL);
INSERT INTO change_sequence (id, value) VALUES (1, 0);

-- Each replica's audit-log signing key, registered at start: two replicas never sign with one key.
CREATE TABLE replicas (
  key_id      TEXT PRIMARY KEY,          -- the audit log's signing key id
  replica_id  TEXT NOT NULL,             -- the replica's own id, kept in its data directory
  host        TEXT NOT NULL,
  instance    TEXT NOT NULL,             -- this run of the replica (random at each start)
  data_dir    TEXT NOT NULL,
  registered  BIGINT NOT NULL,
  seen        BIGINT NOT NULL            -- the running instance's heartbeat
);
