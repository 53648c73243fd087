-- Schema of the clpctl STAND-IN's state (not CloudPanel's full schema): the tables and columns PanelDeck's
-- cloudpanel-cli driver reads from /home/clp/htdocs/app/data/db.sq3.
CREATE TABLE IF NOT EXISTS php_settings (id INTEGER PRIMARY KEY AUTOINCREMENT, php_version TEXT);
CREATE TABLE IF NOT EXISTS site (
  id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, domain_name TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
  root_directory TEXT, user TEXT NOT NULL, reverse_proxy_url TEXT, php_settings_id INTEGER REFERENCES php_settings(id)
);
CREATE TABLE IF NOT EXISTS database_server (id INTEGER PRIMARY KEY, engine TEXT, version TEXT, host TEXT, port INTEGER);
INSERT OR IGNORE INTO database_server (id, engine, version, host, port) VALUES (1, 'MariaDB', '10.11', '127.0.0.1', 3306);
CREATE TABLE IF NOT EXISTS database (
  id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, site_id INTEGER NOT NULL REFERENCES site(id),
  database_server_id INTEGER REFERENCES database_server(id), name TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS database_user (
  id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, database_id INTEGER NOT NULL REFERENCES database(id),
  user_name TEXT NOT NULL UNIQUE, permissions TEXT
);
