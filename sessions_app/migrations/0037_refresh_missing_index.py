"""The refresh reads again every shift Final POS could not find, each pass: through an index of
those few, not a read of every shift."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0036_ledger_written_version"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="sessionrecord",
            index=models.Index(
                condition=models.Q(("missing_since__isnull", False)),
                fields=["missing_since", "id"],
                name="session_missing",
            ),
        ),
    ]
