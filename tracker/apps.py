from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Tracker"

    def ready(self):
        # Connects the login receiver that notes whether a session owes a second step.
        from .accounts import two_factor  # noqa: F401
