from django.apps import AppConfig


class FinalPOSSimulatorConfig(AppConfig):
    """The Final POS simulator: a separate app the dashboard never imports. Demo mode reaches
    it through the transport named in FINALPOS_TRANSPORT; tests and benchmarks serve it over
    HTTP (`manage.py runsimulator`)."""

    name = "finalpos_simulator"
    verbose_name = "Final POS simulator"
