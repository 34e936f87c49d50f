from django.db import migrations


def give_each_session_its_own_code(apps, schema_editor):
    """AddField gave every existing session the same default code; draw a fresh one for each."""
    from bookings.models import new_check_in_code

    Session = apps.get_model("bookings", "Session")
    for session in Session.objects.only("pk").iterator():
        Session.objects.filter(pk=session.pk).update(check_in_code=new_check_in_code())


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0002_attendance_and_completion"),
    ]

    operations = [
        migrations.RunPython(give_each_session_its_own_code, migrations.RunPython.noop),
    ]
