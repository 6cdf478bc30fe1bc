"""Each shift's CSV line is kept on its row (sessions_app/exports.py) instead of the per-method
cells alone. Rows indexed before have no line yet: an export writes theirs itself, and the
worker stores them after its refresh passes (services/export_lines.py)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sessions_app", "0033_session_till_sales"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveField(
            model_name="sessionrecord",
            name="export_figures",
        ),
        migrations.RemoveField(
            model_name="sessionrecord",
            name="export_methods",
        ),
        migrations.AddField(
            model_name="sessionrecord",
            name="export_head",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="sessionrecord",
            name="export_key",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="sessionrecord",
            name="export_tail",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddIndex(
            model_name="sessionrecord",
            index=models.Index(fields=["outlet_id", "export_key"], name="session_export_key"),
        ),
    ]
