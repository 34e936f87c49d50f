"""The demo: two partner councils with pages, training, sessions, bookings and Safe Havens.

`manage.py seed_demo` calls each module's `seed()` in dependency order (cms, courses, bookings,
certificates). The apps never import this package; it imports them. `content.py` holds the
workshop's words, for a council to read and adapt.
"""
