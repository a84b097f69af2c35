"""PostgreSQL only: the database itself refuses two holding bookings of one room whose times overlap.

An exclusion constraint (GiST, with btree_gist for the equality on room_id) over ``tstzrange(start, "end")``
(half-open: a booking ending at 18:00 and one starting at 18:00 do not overlap), for pending and approved
bookings. Not a model constraint: SQLite has no such thing and the booking services check there inside the
writing transaction (SQLite runs one writer at a time). The gap between bookings a room may require is a rule
of the services, not of this constraint.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE rooms_booking ADD CONSTRAINT rooms_booking_no_overlap
    EXCLUDE USING gist (room_id WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (status IN ('pending', 'approved'));
"""
DROP = "ALTER TABLE rooms_booking DROP CONSTRAINT IF EXISTS rooms_booking_no_overlap"
CONSTRAINT_NAME = "rooms_booking_no_overlap"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("rooms", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
