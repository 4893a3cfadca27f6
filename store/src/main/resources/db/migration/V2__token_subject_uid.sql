-- A token belongs to one incarnation of its user or service account: deleting the subject and creating one
-- of the same name later must not bring old tokens back. NULL only for tokens issued before this column.
ALTER TABLE tokens ADD COLUMN subject_uid uuid;
