"""Coordinators' screen for venue sign-in contacts: `/admin/venue-contacts/`.

One page with no object in its URL (venue and contact ids travel in the query string and form,
each looked up within the coordinator's own partners), so another partner's venue or contact is a
form error or a 404, never shown or changed.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from certificates.models import Venue
from cms.admin_scoping import require_partner_staff, staff_partners

from . import services
from .models import VenueContact


class AddContactForm(forms.Form):
    venue = forms.ModelChoiceField(queryset=Venue.objects.none(), label="Venue")
    email = forms.EmailField(
        label="Email address", help_text="They can sign in at /venue/ on your site with this address."
    )

    def __init__(self, *args, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues


def _venues(user):
    return Venue.objects.filter(partner__in=staff_partners(user), merged_into__isnull=True).order_by("name", "pk")


def contacts_view(request):
    require_partner_staff(request)
    venues = _venues(request.user)
    contacts = VenueContact.objects.filter(venue__in=venues).select_related("venue").order_by("venue__name", "email")
    index_url = reverse("venue_contacts")
    chosen = request.GET.get("venue", "")
    initial = {"venue": chosen} if chosen.isdigit() and venues.filter(pk=chosen).exists() else {}
    form = AddContactForm(request.POST if request.POST.get("action") == "add" else None, venues=venues,
                          initial=initial)  # fmt: skip
    if request.method == "POST" and request.POST.get("action") == "remove":
        contact_id = request.POST.get("contact", "")
        contact = contacts.filter(pk=contact_id).first() if contact_id.isdigit() else None
        if contact is None:
            raise Http404("No such contact")
        services.remove_contact(contact=contact, actor=request.user)
        messages.success(request, f"{contact.email} can no longer sign in for {contact.venue.name}.")
        return redirect(index_url)
    if request.method == "POST" and form.is_valid():
        contact = services.add_contact(venue=form.cleaned_data["venue"], email=form.cleaned_data["email"],
                                       actor=request.user)  # fmt: skip
        messages.success(request, f"{contact.email} can now sign in for {contact.venue.name}.")
        return redirect(index_url)
    return TemplateResponse(
        request, "venues/admin/contacts.html", {"title": "Venue sign-in contacts", "contacts": contacts, "form": form}
    )
