"""Vocabularies shared by several apps (bookings asks the venue type; certificates lists venues)."""

from django.db import models


class VenueType(models.TextChoices):
    SHOP = "shop", "Shop"
    CAFE = "cafe", "Café"
    PUB = "pub", "Pub"
    RESTAURANT = "restaurant", "Restaurant"
    LIBRARY = "library", "Library"
    SCHOOL = "school", "School"
    COMMUNITY_CENTRE = "community_centre", "Community centre"
    FAITH_SPACE = "faith_space", "Faith space"
    OTHER = "other", "Other"


class HelpOffered(models.TextChoices):
    LET_IN = "let_in", "Let people in"
    SAFE_SPACE = "safe_space", "A safe, calm space"
    CALL_HELP = "call_help", "Call emergency services, a friend or family"
    CALL_TAXI = "call_taxi", "Call a taxi"
    DIRECTIONS = "directions", "Directions and public-transport information"
    PHONE_CHARGING = "phone_charging", "Phone charging"
    ACCESSIBLE_TOILET = "accessible_toilet", "Accessible toilet"
    STEP_FREE = "step_free", "Step-free access"
