"""The rules page's time zones: places people know first, by their current names."""

from typing import Any

from django import forms

from sessions_app.forms.setup import OutletSettingsForm, canonical_zones


def _zone_choices(form: OutletSettingsForm) -> list[Any]:
    field = form.fields["time_zone"]
    assert isinstance(field, forms.ChoiceField) and isinstance(field.choices, list)
    return field.choices


def _defaults() -> dict[str, str]:
    from sessions_app.views.setup import _site_defaults

    return _site_defaults()


def test_old_aliases_and_etc_zones_are_not_offered():
    zones = canonical_zones()
    assert "Africa/Asmara" in zones and "America/Adak" in zones
    assert "Africa/Asmera" not in zones and "America/Atka" not in zones
    assert not [zone for zone in zones if zone.startswith(("Etc/", "US/"))]
    assert len(zones) < 450  # of ~600 names the system knows


def test_the_common_zones_come_first_with_their_offsets(settings):
    form = OutletSettingsForm(defaults=_defaults())
    choices = _zone_choices(form)
    assert choices[0][0] == ""  # the site's own, by default
    group, common = choices[1]
    assert group == "Common"
    assert common[0][0] == settings.TIME_ZONE
    labels = dict(common)
    assert labels["America/Los_Angeles"].startswith("Los Angeles · America (UTC")


def test_a_zone_saved_under_an_old_name_can_still_be_kept():
    form = OutletSettingsForm(initial={"time_zone": "US/Pacific"}, defaults=_defaults())
    common = dict(_zone_choices(form)[1][1])
    assert "US/Pacific" in common
