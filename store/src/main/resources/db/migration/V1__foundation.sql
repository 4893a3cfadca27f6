-- Millwright's foundation schema. PostgreSQL is the one dialect (DESIGN.md).

-- The global revision: every mutation takes the next value while holding this row's lock until it commits,
-- so revisions become visible in commit order and a watcher that has seen revision N has seen all below it.
CREATE TABLE revision (
    id    int    PRIMARY KEY CHECK (id = 1),
    value bigint NOT NULL
);
INSERT INTO revision VALUES (1, 0);

CREATE TABLE resources (
    kind             text        NOT NULL,
    tenant           text        NOT NULL,   -- '' for platform-scoped kinds
    name             text        NOT NULL,
    uid              uuid        NOT NULL,
    resource_version bigint      NOT NULL,
    generation       bigint      NOT NULL,
    created_at       timestamptz NOT NULL,
    labels           jsonb       NOT NULL DEFAULT '{}',
    annotations      jsonb       NOT NULL DEFAULT '{}',
    spec             jsonb       NOT NULL,
    status           jsonb       NOT NULL,
    PRIMARY KEY (kind, tenant, name)
);
CREATE INDEX resources_labels ON resources USING gin (labels jsonb_path_ops);
-- finds the tenants and projects a user is a member of, when a token is authenticated
CREATE INDEX resources_members ON resources USING gin ((spec -> 'members') jsonb_path_ops)
    WHERE kind IN ('Tenant', 'Project');

-- The change feed: one row per mutation, holding the object as it was after it (before it, for deletes).
CREATE TABLE changes (
    revision    bigint      PRIMARY KEY,
    type        text        NOT NULL CHECK (type IN ('ADDED', 'MODIFIED', 'DELETED')),
    kind        text        NOT NULL,
    tenant      text        NOT NULL,
    name        text        NOT NULL,
    object      jsonb       NOT NULL,
    recorded_at timestamptz NOT NULL
);

CREATE TABLE leases (
    name        text        PRIMARY KEY,
    holder      text        NOT NULL,
    fence       bigint      NOT NULL,   -- grows by one each time the lease changes hands
    acquired_at timestamptz NOT NULL,
    renewed_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);

-- The audit chain: hash(n) = sha256(hash(n-1) || int8(n) || utf8(payload(n))), with the head kept here so
-- that removing the newest records is detected too.
CREATE TABLE audit_head (
    id   int    PRIMARY KEY CHECK (id = 1),
    seq  bigint NOT NULL,
    hash bytea  NOT NULL
);
INSERT INTO audit_head VALUES (1, 0, decode(repeat('00', 32), 'hex'));

CREATE TABLE audit (
    seq     bigint      PRIMARY KEY,
    at      timestamptz NOT NULL,
    actor   text        NOT NULL,
    verb    text        NOT NULL,
    kind    text        NOT NULL,
    tenant  text        NOT NULL,
    name    text        NOT NULL,
    outcome int         NOT NULL,   -- the HTTP status the request was answered with
    reason  text        NOT NULL,
    digest  text        NOT NULL,   -- sha256 of the canonical JSON of the object written; '' when none
    hash    bytea       NOT NULL
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_tenant_at ON audit (tenant, at);
CREATE INDEX audit_actor_at ON audit (actor, at);
CREATE INDEX audit_kind_at ON audit (kind, at);

CREATE TABLE events (
    id        bigserial   PRIMARY KEY,
    kind      text        NOT NULL,
    tenant    text        NOT NULL,
    name      text        NOT NULL,
    type      text        NOT NULL CHECK (type IN ('Normal', 'Warning')),
    reason    text        NOT NULL,
    message   text        NOT NULL,
    source    text        NOT NULL,
    count     int         NOT NULL,
    first_at  timestamptz NOT NULL,
    last_at   timestamptz NOT NULL
);
-- the same event on the same object is counted, not repeated
CREATE UNIQUE INDEX events_dedup ON events (kind, tenant, name, type, reason, md5(message));
CREATE INDEX events_object ON events (kind, tenant, name, last_at);
CREATE INDEX events_last_at ON events (last_at);

CREATE TABLE tokens (
    id           text        PRIMARY KEY,
    subject_kind text        NOT NULL CHECK (subject_kind IN ('User', 'ServiceAccount')),
    tenant       text        NOT NULL,
    subject      text        NOT NULL,
    secret_hash  bytea       NOT NULL,
    description  text        NOT NULL,
    created_at   timestamptz NOT NULL,
    created_by   text        NOT NULL,
    expires_at   timestamptz,
    revoked_at   timestamptz
);
CREATE INDEX tokens_subject ON tokens (subject_kind, tenant, subject);

-- Changes at or below this revision have been removed from the feed; a watch from an older revision gets 410.
CREATE TABLE feed_compaction (
    id      int    PRIMARY KEY CHECK (id = 1),
    through bigint NOT NULL
);
INSERT INTO feed_compaction VALUES (1, 0);
