"""Per-method differences instead of a sum across tenders.

A shift's headline used to be counted minus expected summed over every payment method, so a
cash short hidden by a card over read as balanced. Each indexed shift now keeps its difference
per method, the cash difference on its own, the largest single-method difference (what history
sorts by), and a result that is balanced only when every method is (or "mixed")."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import migrations, models


def _amount(value):
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError):
        return None
    return amount if amount.is_finite() else None


def _label(variance, tolerance):
    if variance > tolerance:
        return "over"
    if variance < -tolerance:
        return "short"
    return "balanced"


def recompute(apps, schema_editor):
    SessionRecord = apps.get_model("sessions_app", "SessionRecord")
    tolerance = getattr(settings, "VARIANCE_TOLERANCE", Decimal(0))
    changed = []
    rows = SessionRecord.objects.exclude(expected={}).filter(close_time__isnull=False)
    for record in rows.iterator(chunk_size=2000):
        variances = {}
        for key, expected_text in record.expected.items():
            expected = _amount(expected_text)
            counted = _amount(record.counted.get(key, "0"))
            if expected is not None and counted is not None:
                variances[key] = (counted - expected).quantize(Decimal("0.01"))
        if not variances:
            continue
        labels = {_label(v, tolerance) for v in variances.values()} - {"balanced"}
        record.variances = {key: str(value) for key, value in variances.items()}
        record.cash_variance = variances.get("cash")
        record.variance_abs = max(abs(value) for value in variances.values())
        record.result = "balanced" if not labels else labels.pop() if len(labels) == 1 else "mixed"
        changed.append(record)
        if len(changed) == 2000:
            SessionRecord.objects.bulk_update(
                changed, ["variances", "cash_variance", "variance_abs", "result"]
            )
            changed = []
    SessionRecord.objects.bulk_update(
        changed, ["variances", "cash_variance", "variance_abs", "result"]
    )


class Migration(migrations.Migration):
    dependencies = [("sessions_app", "0007_board_indexes")]

    operations = [
        migrations.AddField(
            model_name="sessionrecord",
            name="variances",
            field=models.JSONField(
                blank=True, default=dict, help_text="method -> counted minus expected"
            ),
        ),
        migrations.AddField(
            model_name="sessionrecord",
            name="cash_variance",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="Cash counted - expected",
                max_digits=14,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="sessionrecord",
            name="variance_abs",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                help_text="The largest difference on any one method (never a sum across methods)",
                max_digits=14,
                null=True,
            ),
        ),
        migrations.AlterField(
            model_name="sessionrecord",
            name="result",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not available"),
                    ("over", "Over"),
                    ("short", "Short"),
                    ("balanced", "Balanced"),
                    ("mixed", "Mixed"),
                ],
                help_text="Balanced only when every method is; mixed when one is over and one short",
                max_length=10,
            ),
        ),
        migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="sessionrecord", name="variance_total"),
    ]
