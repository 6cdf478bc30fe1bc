"""Insights counted a shift as off on another tender only when it was mixed, or when cash was
not off: a shift short in cash and on card was left out. Whether a tender other than cash is
off is now a column of its own, set when a shift is indexed, worked out here for the shifts
indexed before, and read by the insights from their index."""

from decimal import Decimal

from django.conf import settings
from django.db import migrations, models

BATCH = 2000
# As 0035 made it: SQLite rebuilds the table to add a column, which drops an index Django's
# state does not know.
EXPORT_LINES_SQLITE = (
    "CREATE INDEX IF NOT EXISTS export_lines ON sessions_app_sessionrecord "
    "(open_time DESC, id DESC, export_key, outlet_id, station_id, export_head, export_tail, "
    "deleted_at) WHERE deleted_at IS NULL"
)


def export_lines_index_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(EXPORT_LINES_SQLITE)


def _other_tender_off(variances: dict, tolerance: Decimal) -> bool:
    """As closing.variance.other_tenders_off, kept here as it was when this ran."""
    for key, value in (variances or {}).items():
        if key == "cash":
            continue
        try:
            if abs(Decimal(str(value))) > tolerance:
                return True
        except ArithmeticError:
            return True
    return False


def mark_other_tenders_off(apps, schema_editor):
    shifts = apps.get_model("sessions_app", "SessionRecord").objects
    tolerance = Decimal(str(settings.VARIANCE_TOLERANCE))
    off_shifts = shifts.filter(result__in=["over", "short", "mixed"]).only("id", "variances")
    off: list[str] = []
    for shift in off_shifts.iterator(chunk_size=BATCH):
        if _other_tender_off(shift.variances, tolerance):
            off.append(shift.id)
        if len(off) == BATCH:
            shifts.filter(id__in=off).update(other_tenders_off=True)
            off = []
    shifts.filter(id__in=off).update(other_tenders_off=True)


class Migration(migrations.Migration):
    # Each step commits on its own: on PostgreSQL the new column's lock is not held while every
    # shift over or short is read, and the insights read the table meanwhile (more slowly, for
    # the minutes the index is missing).
    atomic = False

    dependencies = [
        ("sessions_app", "0037_refresh_missing_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="sessionrecord", name="insights_closed"),
        migrations.AddField(
            model_name="sessionrecord",
            name="other_tenders_off",
            field=models.BooleanField(
                default=False, help_text="A tender other than cash is off, whatever cash did"
            ),
        ),
        migrations.RunPython(export_lines_index_again, migrations.RunPython.noop),
        migrations.RunPython(mark_other_tenders_off, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="sessionrecord",
            index=models.Index(
                condition=models.Q(("close_time__isnull", False), ("deleted_at__isnull", True)),
                fields=[
                    "business_date",
                    "open_time",
                    "currency",
                    "closed_by",
                    "station_id",
                    "outlet_id",
                    "cash_variance",
                    "result",
                    "other_tenders_off",
                    "close_time",
                    "deleted_at",
                ],
                name="insights_closed",
            ),
        ),
    ]
