from django.db import migrations


def seed(apps, schema_editor):
    from guanjia.tickets.holidays import holiday_rows

    Holiday = apps.get_model("tickets", "Holiday")
    HolidayYear = apps.get_model("tickets", "HolidayYear")
    rows, years = holiday_rows()
    Holiday.objects.bulk_create(
        [Holiday(date=d, name=n, is_working_day=w) for d, n, w in rows], ignore_conflicts=True
    )
    HolidayYear.objects.bulk_create([HolidayYear(year=y) for y in sorted(years)], ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
