"""PostgreSQL refuses UPDATE and DELETE on audit entries, whoever asks.

The trigger belongs to the table's owner; the application's role cannot get around it, and
disabling it (ALTER TABLE ... DISABLE TRIGGER) needs ownership, which production gives only
to the migration role.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION ncen_audit_entry_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER ncen_audit_entry_append_only
    BEFORE UPDATE OR DELETE ON ncen_auditentry
    FOR EACH ROW EXECUTE FUNCTION ncen_audit_entry_append_only();
"""

BACKWARD = """
DROP TRIGGER ncen_audit_entry_append_only ON ncen_auditentry;
DROP FUNCTION ncen_audit_entry_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("ncen", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
