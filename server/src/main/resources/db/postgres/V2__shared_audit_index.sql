-- The replicas' shared audit query index: each replica feeds the events of its own signed log (which stays the
-- evidence; this is an index of it), so a query sees every replica's events. One row per (replica, position).
CREATE TABLE audit_index (
  replica_id  TEXT NOT NULL,
  seq         BIGINT NOT NULL,          -- the event's position in that replica's log
  time        TEXT,
  stage       TEXT,
  cluster     TEXT,
  username    TEXT,
  verb        TEXT,
  resource    TEXT,
  namespace   TEXT,
  name        TEXT,
  decision    TEXT,
  code        INTEGER,
  audit_id    TEXT,
  event       TEXT NOT NULL,            -- the log line as written
  PRIMARY KEY (replica_id, seq)
);
CREATE INDEX audit_index_time ON audit_index(time);
CREATE INDEX audit_index_audit_id ON audit_index(audit_id);
CREATE INDEX audit_index_user ON audit_index(username, time);
CREATE INDEX audit_index_resource ON audit_index(resource, namespace, name);

-- How far each replica's log is indexed (the next position to index): a replica catches up from here.
CREATE TABLE audit_index_positions (
  replica_id  TEXT PRIMARY KEY,
  next_seq    BIGINT NOT NULL
);
