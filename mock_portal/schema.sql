DROP TABLE IF EXISTS event;
DROP TABLE IF EXISTS employee_right;
DROP TABLE IF EXISTS employee_search;
DROP TABLE IF EXISTS short_term_count;
DROP TABLE IF EXISTS employee;
DROP TABLE IF EXISTS keycard;
DROP TABLE IF EXISTS admin;
DROP TABLE IF EXISTS company;

CREATE TABLE company (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  cvr TEXT UNIQUE NOT NULL,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  address TEXT NOT NULL,
  postbox TEXT NOT NULL,
  postcode TEXT NOT NULL,
  city TEXT NOT NULL
);

CREATE TABLE admin (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  company_id INTEGER NOT NULL REFERENCES company (id),
  user_id TEXT UNIQUE NOT NULL,
  password_hash TEXT NOT NULL,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  phone TEXT NOT NULL,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE keycard (
  admin_id INTEGER NOT NULL REFERENCES admin (id),
  code TEXT NOT NULL,
  key TEXT NOT NULL,
  PRIMARY KEY (admin_id, code)
);

CREATE TABLE employee (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  company_id INTEGER NOT NULL REFERENCES company (id),
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  grp TEXT NOT NULL,
  signature TEXT NOT NULL,
  address TEXT NOT NULL,
  is_admin INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  -- incremented on every change of rights / of the data: a save based on an older view is refused
  rights_version INTEGER NOT NULL DEFAULT 0,
  data_version INTEGER NOT NULL DEFAULT 0,
  -- Search and order, kept right on every write by the triggers below (the Python functions
  -- db.py registers on its connections; a write of name, e-mail, group or status from a
  -- connection without them fails rather than store a wrong key or count).
  name_key TEXT,  -- Danish order (then by id)
  name_fold TEXT,  -- accent- and case-insensitive
  email_fold TEXT,
  grp_fold TEXT
);

-- The list's orders, filters and counts, each served by an index (the row id ends every entry,
-- so an index on name_key is in the list's order: name_key, id).
CREATE INDEX employee_by_status ON employee (company_id, active, name_key);
CREATE INDEX employee_by_name ON employee (company_id, name_key);
CREATE INDEX employee_by_group ON employee (company_id, grp_fold, active, name_key);
CREATE INDEX employee_groups ON employee (company_id, grp);
-- Searches of one or two letters (too short for the trigram index) scan this, not the table.
CREATE INDEX employee_short_search ON employee (company_id, name_key, active, name_fold, email_fold);
-- Counting a trigram search looks each match up for its company and status: here, rather than
-- in the table's wide rows (1,273 matches at 50,000: 0.9-1.6 ms instead of 3.2). Version 2
-- (mock_portal/migrations.py adds it to an older database).
CREATE INDEX employee_scope ON employee (id, company_id, active);

-- Substring search (three characters or more) on the folded name and e-mail.
CREATE VIRTUAL TABLE employee_search USING fts5(
  name_fold, email_fold, content='employee', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER employee_keys_insert AFTER INSERT ON employee BEGIN
  UPDATE employee SET name_key = danish_key(new.name), name_fold = fold(new.name),
    email_fold = fold(new.email), grp_fold = fold(new.grp) WHERE id = new.id;
  INSERT INTO employee_search (rowid, name_fold, email_fold) VALUES (new.id, fold(new.name), fold(new.email));
END;
CREATE TRIGGER employee_keys_update AFTER UPDATE OF name, email, grp ON employee BEGIN
  INSERT INTO employee_search (employee_search, rowid, name_fold, email_fold)
    VALUES ('delete', old.id, old.name_fold, old.email_fold);
  UPDATE employee SET name_key = danish_key(new.name), name_fold = fold(new.name),
    email_fold = fold(new.email), grp_fold = fold(new.grp) WHERE id = new.id;
  INSERT INTO employee_search (rowid, name_fold, email_fold) VALUES (new.id, fold(new.name), fold(new.email));
END;
CREATE TRIGGER employee_search_delete AFTER DELETE ON employee BEGIN
  INSERT INTO employee_search (employee_search, rowid, name_fold, email_fold)
    VALUES ('delete', old.id, old.name_fold, old.email_fold);
END;

-- Searches of one or two letters are too short for the trigram index. How many employees hold
-- each such piece of their folded name or e-mail, per company and status, is kept here by the
-- triggers below: counting a short search's matches reads a row, not every employee. (Version 1:
-- mock_portal/migrations.py adds it to an older database and fills it.)
CREATE TABLE short_term_count (
  company_id INTEGER NOT NULL,
  active INTEGER NOT NULL,
  field TEXT NOT NULL,  -- 'name' or 'email'
  term TEXT NOT NULL,   -- keys.short_terms()
  n INTEGER NOT NULL,
  PRIMARY KEY (company_id, active, field, term)
) WITHOUT ROWID;
CREATE TRIGGER short_terms_insert AFTER INSERT ON employee BEGIN
  INSERT INTO short_term_count (company_id, active, field, term, n)
    SELECT new.company_id, new.active, field, term, 1 FROM (
      SELECT 'name' AS field, value AS term FROM json_each(short_terms(new.name_fold))
      UNION ALL SELECT 'email', value FROM json_each(short_terms(new.email_fold)))
    WHERE true ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER short_terms_update AFTER UPDATE OF name_fold, email_fold, active, company_id ON employee BEGIN
  UPDATE short_term_count SET n = n - 1 WHERE company_id = old.company_id AND active = old.active
    AND (field, term) IN (SELECT 'name', value FROM json_each(short_terms(old.name_fold))
      UNION ALL SELECT 'email', value FROM json_each(short_terms(old.email_fold)));
  INSERT INTO short_term_count (company_id, active, field, term, n)
    SELECT new.company_id, new.active, field, term, 1 FROM (
      SELECT 'name' AS field, value AS term FROM json_each(short_terms(new.name_fold))
      UNION ALL SELECT 'email', value FROM json_each(short_terms(new.email_fold)))
    WHERE true ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER short_terms_delete AFTER DELETE ON employee BEGIN
  UPDATE short_term_count SET n = n - 1 WHERE company_id = old.company_id AND active = old.active
    AND (field, term) IN (SELECT 'name', value FROM json_each(short_terms(old.name_fold))
      UNION ALL SELECT 'email', value FROM json_each(short_terms(old.email_fold)));
END;

CREATE TABLE employee_right (
  employee_id INTEGER NOT NULL REFERENCES employee (id),
  right_id TEXT NOT NULL,
  PRIMARY KEY (employee_id, right_id)
);

CREATE TABLE event (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  company_id INTEGER NOT NULL REFERENCES company (id),
  employee_id INTEGER NOT NULL REFERENCES employee (id),
  at TEXT NOT NULL,  -- UTC, ISO 8601
  actor TEXT NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX event_by_employee ON event (employee_id, at, id);

-- Events are history: they cannot be changed or removed.
CREATE TRIGGER event_no_update BEFORE UPDATE ON event BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER event_no_delete BEFORE DELETE ON event BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- Security: server-side sessions (mock_portal/sessions.py) and spent key-card keys.
DROP TABLE IF EXISTS web_session;
DROP TABLE IF EXISTS keycard_spent;

CREATE TABLE IF NOT EXISTS web_session (
  id TEXT PRIMARY KEY,  -- SHA-256 of the cookie's random id: a copy of this table opens no session
  admin_id INTEGER,     -- NULL before log-in (a pending log-in, a CSRF token, a message)
  created REAL NOT NULL,  -- Unix time, the real clock (FIXED_NOW only dates what pages show)
  last_seen REAL NOT NULL,
  ended REAL,           -- log-af, lock, time-out or renewal
  data TEXT NOT NULL    -- the Flask session, tagged JSON
);
CREATE INDEX IF NOT EXISTS web_session_admin ON web_session (admin_id) WHERE ended IS NULL;

CREATE TABLE IF NOT EXISTS keycard_spent (  -- NemID keys are single use
  admin_id INTEGER NOT NULL,
  code TEXT NOT NULL,
  spent REAL NOT NULL,
  PRIMARY KEY (admin_id, code)
);

-- The schema's version (mock_portal/migrations.py: VERSION, the number of its steps).
PRAGMA user_version = 2;
