DROP TABLE IF EXISTS event;
DROP TABLE IF EXISTS employee_right;
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
  data_version INTEGER NOT NULL DEFAULT 0
);

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

-- Events are history: they cannot be changed or removed.
CREATE TRIGGER event_no_update BEFORE UPDATE ON event BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER event_no_delete BEFORE DELETE ON event BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

-- Security: server-side sessions (mock_portal/sessions.py) and spent key-card keys. The tables
-- are created IF NOT EXISTS so that db.add_missing_tables() adds them to an older database.
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
