-- Things only one object may hold at a time, such as a machine in a node pool. Claims change in the same
-- transaction as the object that holds them, behind the revision lock, so two writers cannot both take one.
CREATE TABLE claims (
    namespace   text NOT NULL,   -- what is claimed: "machine"
    value       text NOT NULL,   -- which one: the machine's name
    owner_kind  text NOT NULL,
    owner_tenant text NOT NULL,
    owner_name  text NOT NULL,
    PRIMARY KEY (namespace, value)
);
CREATE INDEX claims_owner ON claims (owner_kind, owner_tenant, owner_name);
