"""Where the data lives: engine, sessions, migrations, backups and integrity checks."""
