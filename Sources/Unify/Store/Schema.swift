internal import GRDB

/// The store's tables, created and upgraded by migrations.
///
/// Migrations are frozen once shipped: a later change adds a migration, never edits one.
/// They name tables with strings and never use app types, so that old files open with new
/// code. The schema version is in GRDB's `grdb_migrations` table and in `PRAGMA user_version`.
enum Schema {
    /// The value of `PRAGMA user_version` after all migrations of this build.
    static let version = 7

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: event log and rejects") { db in
            try db.execute(sql: """
                CREATE TABLE inputs (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE
                ) STRICT;

                CREATE TABLE events (
                    seq INTEGER PRIMARY KEY,
                    event_id TEXT NOT NULL,
                    event_key INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    name TEXT,
                    time INTEGER NOT NULL,
                    time_assigned INTEGER NOT NULL,
                    channel TEXT,
                    source TEXT,
                    input_id INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    ingested_at INTEGER NOT NULL,
                    raw TEXT NOT NULL
                ) STRICT;
                CREATE UNIQUE INDEX events_by_key ON events(event_key);

                CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
                BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
                CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
                BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

                CREATE TABLE rejects (
                    id INTEGER PRIMARY KEY,
                    reject_key INTEGER NOT NULL,
                    input_id INTEGER NOT NULL,
                    line INTEGER NOT NULL,
                    code TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    raw BLOB NOT NULL,
                    rejected_at INTEGER NOT NULL
                ) STRICT;
                CREATE INDEX rejects_by_key ON rejects(reject_key);

                PRAGMA user_version = 1;
                """)
        }
        migrator.registerMigration("v2: identity graph") { db in
            try db.execute(sql: """
                CREATE TABLE store_info (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                ) STRICT;

                CREATE TABLE identifiers (
                    id INTEGER PRIMARY KEY,
                    identifier_key INTEGER NOT NULL UNIQUE,
                    kind TEXT NOT NULL,
                    value TEXT NOT NULL,
                    status TEXT NOT NULL,
                    component INTEGER,
                    customer_id TEXT
                ) STRICT;
                CREATE INDEX identifiers_by_customer ON identifiers(customer_id);
                CREATE INDEX identifiers_by_component ON identifiers(component);

                CREATE TABLE identifier_anchors (
                    identifier_id INTEGER NOT NULL,
                    anchor_id INTEGER NOT NULL,
                    anchor_kind TEXT NOT NULL,
                    PRIMARY KEY (identifier_id, anchor_id)
                ) STRICT, WITHOUT ROWID;

                CREATE TABLE event_identity (
                    seq INTEGER PRIMARY KEY,
                    time INTEGER NOT NULL,
                    event_id TEXT NOT NULL,
                    identifier_ids TEXT NOT NULL,
                    explicit INTEGER NOT NULL,
                    component INTEGER NOT NULL,
                    customer_id TEXT NOT NULL
                ) STRICT;
                CREATE INDEX event_identity_by_component ON event_identity(component);
                CREATE INDEX event_identity_by_customer ON event_identity(customer_id);

                CREATE TABLE components (
                    id INTEGER PRIMARY KEY,
                    last_time INTEGER NOT NULL,
                    last_event_id TEXT NOT NULL
                ) STRICT;

                CREATE TABLE customer_redirects (
                    retired_id TEXT PRIMARY KEY,
                    survivor_id TEXT NOT NULL,
                    seq INTEGER NOT NULL
                ) STRICT;
                CREATE INDEX customer_redirects_by_survivor ON customer_redirects(survivor_id);

                PRAGMA user_version = 2;
                """)
        }
        migrator.registerMigration("v3: unfinished ingests") { db in
            // The ingest time of a run of this input that has not finished; a re-run after a
            // crash reuses it, so lines without a time get the time one uninterrupted run gives.
            try db.execute(sql: """
                ALTER TABLE inputs ADD COLUMN pending_since INTEGER;
                PRAGMA user_version = 3;
                """)
        }
        migrator.registerMigration("v4: redirects follow their anchor") { db in
            // What a retired id was made from (`kind:value`, or `event:<id>`): it resolves to
            // whoever holds that now, which stays right across later splits and rebuilds.
            try db.execute(sql: """
                ALTER TABLE customer_redirects ADD COLUMN anchor TEXT;
                PRAGMA user_version = 4;
                """)
        }
        migrator.registerMigration("v5: component sizes") { db in
            // When components merge, the largest keeps its name and only the others are
            // relabelled, so merging stays linear whatever order events arrive in.
            try db.execute(sql: """
                ALTER TABLE components ADD COLUMN size INTEGER NOT NULL DEFAULT 0;
                UPDATE components SET size = (SELECT count(*) FROM event_identity WHERE component = components.id);
                PRAGMA user_version = 5;
                """)
        }
        migrator.registerMigration("v6: identity graph held in memory while resolving") { db in
            // Derived tables only: the log stays, and every event is resolved again by the
            // next ingest (or `unify resolve`). Retired customer ids keep redirecting.
            try db.execute(sql: """
                DROP TABLE identifier_anchors;
                DROP TABLE event_identity;
                DROP TABLE components;
                DROP TABLE identifiers;

                CREATE TABLE identifiers (
                    key INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    value TEXT NOT NULL,
                    status TEXT NOT NULL,
                    component INTEGER,
                    customer INTEGER,
                    witnesses TEXT NOT NULL DEFAULT ''
                ) STRICT;
                CREATE INDEX identifiers_by_customer ON identifiers(customer) WHERE customer IS NOT NULL;
                CREATE INDEX identifiers_by_component ON identifiers(component) WHERE component IS NOT NULL;

                CREATE TABLE event_identity (
                    seq INTEGER PRIMARY KEY,
                    time INTEGER NOT NULL,
                    principal INTEGER,
                    identifier_keys BLOB NOT NULL,
                    explicit INTEGER NOT NULL,
                    own_customer INTEGER
                ) STRICT;

                CREATE TABLE customers (
                    customer INTEGER PRIMARY KEY,
                    anchor TEXT NOT NULL,
                    identifier_counts TEXT NOT NULL,
                    accounts TEXT NOT NULL,
                    last_time INTEGER NOT NULL,
                    last_event_id TEXT NOT NULL,
                    event_list BLOB NOT NULL,
                    first_seen INTEGER,
                    last_seen INTEGER,
                    events INTEGER NOT NULL,
                    orders INTEGER NOT NULL,
                    revenue REAL NOT NULL,
                    stage TEXT,
                    stage_since INTEGER,
                    dormant_since INTEGER,
                    profile TEXT NOT NULL
                ) STRICT;

                CREATE TABLE identifier_kinds (
                    kind TEXT PRIMARY KEY
                ) STRICT, WITHOUT ROWID;

                CREATE TABLE component_links (
                    label INTEGER PRIMARY KEY,
                    parent INTEGER NOT NULL
                ) STRICT;
                CREATE INDEX component_links_by_parent ON component_links(parent);

                CREATE VIEW identities AS
                SELECT kind || ':' || value AS identifier, kind, value, status,
                       CASE WHEN customer IS NOT NULL THEN printf('cus_%016x', customer) END AS customer_id
                FROM identifiers WHERE kind != 'record';

                CREATE VIEW event_customers AS
                SELECT event_identity.seq AS seq, events.event_id AS event_id, event_identity.time AS time,
                       printf('cus_%016x', coalesce(identifiers.customer, event_identity.own_customer)) AS customer_id
                FROM event_identity
                JOIN events ON events.seq = event_identity.seq
                LEFT JOIN identifiers ON identifiers.key = event_identity.principal;

                -- Probabilistic matching: every record (an event whose traits name a person),
                -- its blocking keys, and the links made between records.
                CREATE TABLE match_records (
                    seq INTEGER PRIMARY KEY,
                    time INTEGER NOT NULL,
                    event_id TEXT NOT NULL,
                    offline INTEGER NOT NULL,
                    fields TEXT NOT NULL
                ) STRICT;
                CREATE TABLE match_keys (
                    key INTEGER NOT NULL,
                    seq INTEGER NOT NULL,
                    offline INTEGER NOT NULL,
                    PRIMARY KEY (key, seq)
                ) STRICT, WITHOUT ROWID;
                CREATE TABLE match_links (
                    seq INTEGER NOT NULL,
                    partner INTEGER NOT NULL,
                    weight REAL NOT NULL,
                    evidence TEXT NOT NULL,
                    PRIMARY KEY (seq, partner)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX match_links_by_partner ON match_links(partner);

                -- Views for analysts: customer ids as people see them, times as ISO-8601 (UTC),
                -- stages as of the latest event in the store (see docs/SCHEMA.md).
                CREATE VIEW profiles AS
                SELECT printf('cus_%016x', customer) AS customer_id,
                       strftime('%Y-%m-%dT%H:%M:%fZ', first_seen / 1000.0, 'unixepoch') AS first_seen,
                       strftime('%Y-%m-%dT%H:%M:%fZ', last_seen / 1000.0, 'unixepoch') AS last_seen,
                       events,
                       json_extract(profile, '$.online_events') AS online_events,
                       json_extract(profile, '$.offline_events') AS offline_events,
                       orders, revenue,
                       json_extract(profile, '$.orders.revenue') AS revenue_by_currency,
                       json_extract(profile, '$.orders.average_basket') AS average_basket,
                       strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(profile, '$.orders.first') / 1000.0, 'unixepoch') AS first_order,
                       strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(profile, '$.orders.last') / 1000.0, 'unixepoch') AS last_order,
                       CASE WHEN stage IS NOT 'churned' AND dormant_since <= latest.time THEN 'dormant' ELSE stage END AS stage,
                       strftime('%Y-%m-%dT%H:%M:%fZ',
                                CASE WHEN stage IS NOT 'churned' AND dormant_since <= latest.time THEN dormant_since ELSE stage_since END / 1000.0,
                                'unixepoch') AS stage_since,
                       json_extract(profile, '$.nps.latest') AS nps,
                       json_extract(profile, '$.csat.latest') AS csat,
                       json_extract(profile, '$.channels') AS channels
                FROM customers,
                     (SELECT CAST(value AS INTEGER) AS time FROM store_info WHERE key = 'latest_event_time'
                      UNION ALL SELECT NULL LIMIT 1) AS latest;

                CREATE VIEW traits AS
                SELECT printf('cus_%016x', customers.customer) AS customer_id, trait.key AS trait,
                       json_extract(trait.value, '$.value') AS value,
                       json_extract(trait.value, '$.source') AS source,
                       events.event_id AS event_id,
                       strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(trait.value, '$.event[1]') / 1000.0, 'unixepoch') AS time
                FROM customers, json_each(customers.profile, '$.traits') AS trait
                LEFT JOIN events ON events.seq = json_extract(trait.value, '$.event[0]');

                CREATE VIEW consents AS
                SELECT printf('cus_%016x', customers.customer) AS customer_id, consent.key AS channel,
                       CASE WHEN json_extract(consent.value, '$.granted') THEN 'granted' ELSE 'withdrawn' END AS status,
                       json_extract(consent.value, '$.source') AS source,
                       events.event_id AS event_id,
                       strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(consent.value, '$.event[1]') / 1000.0, 'unixepoch') AS time
                FROM customers, json_each(customers.profile, '$.consents') AS consent
                LEFT JOIN events ON events.seq = json_extract(consent.value, '$.event[0]');

                CREATE VIEW journey AS
                SELECT printf('cus_%016x', customers.customer) AS customer_id, step.key + 1 AS step,
                       json_extract(step.value, '$.stage') AS stage,
                       strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(step.value, '$.entered_at') / 1000.0, 'unixepoch') AS entered_at,
                       events.event_id AS event_id,
                       json_extract(step.value, '$.reason') AS reason
                FROM customers, json_each(customers.profile, '$.journey') AS step
                LEFT JOIN events ON events.seq = json_extract(step.value, '$.event_seq')
                WHERE json_extract(step.value, '$.entered_at')
                      <= coalesce((SELECT CAST(value AS INTEGER) FROM store_info WHERE key = 'latest_event_time'), 0);

                CREATE VIEW timeline AS
                SELECT event_customers.customer_id AS customer_id, events.seq AS seq, events.event_id AS event_id,
                       strftime('%Y-%m-%dT%H:%M:%fZ', events.time / 1000.0, 'unixepoch') AS time,
                       events.kind AS kind, events.name AS name, events.channel AS channel, events.source AS source
                FROM event_customers JOIN events ON events.seq = event_customers.seq;

                -- Counts of the log by kind, channel and input, kept as events are appended, so
                -- that statistics need not read every event.
                CREATE TABLE log_counts (
                    kind TEXT NOT NULL,
                    channel TEXT NOT NULL,
                    input_id INTEGER NOT NULL,
                    events INTEGER NOT NULL,
                    times_assigned INTEGER NOT NULL,
                    first_time INTEGER NOT NULL,
                    last_time INTEGER NOT NULL,
                    PRIMARY KEY (kind, channel, input_id)
                ) STRICT, WITHOUT ROWID;
                INSERT INTO log_counts
                SELECT kind, coalesce(channel, ''), input_id, count(*), sum(time_assigned), min(time), max(time)
                FROM events GROUP BY kind, coalesce(channel, ''), input_id;

                DELETE FROM store_info WHERE key = 'resolved_through';
                PRAGMA user_version = 6;
                """)
        }
        migrator.registerMigration("v7: match records kept normalised") { db in
            // Rows from before keep NULL and are normalised again from `fields` when read.
            try db.execute(sql: """
                ALTER TABLE match_records ADD COLUMN normalised BLOB;
                PRAGMA user_version = 7;
                """)
        }
        return migrator
    }
}
