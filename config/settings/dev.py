"""Local development: `make run`. SQLite, console email, immediate tasks."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
ALLOWED_HOSTS = ["localhost", "127.0.0.1", ".localhost", "[::1]"]
