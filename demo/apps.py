from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: an app only so that `seed_demo` lives here, above the apps it seeds."""

    name = "demo"
    verbose_name = "Demo data"
