-- An unsettled change keeps the value it replaced and when it was written, so a change abandoned by a crash
-- between its write and its audit event can be undone (the previous value restored, a creation removed).
ALTER TABLE records ADD COLUMN written INTEGER;
ALTER TABLE records ADD COLUMN previous TEXT;
CREATE INDEX records_unsettled ON records(settled, written);
