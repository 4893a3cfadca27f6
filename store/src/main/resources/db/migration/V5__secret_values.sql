-- The values of Secret and PlatformSecret objects, one row per key, sealed: AES-256-GCM under the operator's key
-- named by key_id, with the object's kind, tenant and name and the key bound in as associated data. No plaintext
-- is ever stored. Rows are written in the transaction that writes their object, and the foreign key removes them
-- in the transaction that deletes it.
CREATE TABLE secret_values (
    kind       text  NOT NULL,
    tenant     text  NOT NULL,
    name       text  NOT NULL,
    key        text  NOT NULL,
    key_id     text  NOT NULL,
    nonce      bytea NOT NULL CHECK (length(nonce) = 12),
    ciphertext bytea NOT NULL,   -- the 16-byte tag appended
    PRIMARY KEY (kind, tenant, name, key),
    FOREIGN KEY (kind, tenant, name) REFERENCES resources (kind, tenant, name) ON DELETE CASCADE
);
-- finds the values a rekey still has to seal under the primary key
CREATE INDEX secret_values_key_id ON secret_values (key_id);
