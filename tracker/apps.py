from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Tracker"

    def ready(self):
        # Connect their login receivers: whether the session owes a second step, and
        # whether the privacy notice was agreed to.
        from .accounts import two_factor  # noqa: F401
        from .privacy import notice  # noqa: F401
