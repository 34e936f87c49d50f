"""What bookings announces to the apps above it (which it must never import).

`course_completed(sender=Booking, booking=booking)` is sent once per booking, after the
transaction that completed it commits; certificates listens and issues the certificate.
"""

from django.dispatch import Signal

course_completed = Signal()
