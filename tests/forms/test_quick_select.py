"""QuickSelect writes its options in Python, escaped once per list of choices."""

import re

from django.utils import translation
from django.utils.translation import gettext_lazy

from sessions_app.forms.fields import QuickSelect


def _options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html
        )
    ]


def test_every_option_is_escaped_and_only_the_chosen_one_is_selected():
    widget = QuickSelect(choices=[("", "All tills"), ('t"1', "Till <1> & co"), ("t2", "Till 2")])
    html = widget.render("station", "t2", attrs={"id": "id_station"})
    assert html.startswith('<select name="station" id="id_station">')
    assert _options(html) == [
        ("", False, "All tills"),
        ("t&quot;1", False, "Till &lt;1&gt; &amp; co"),
        ("t2", True, "Till 2"),
    ]


def test_the_same_choices_rendered_again_select_what_that_request_chose():
    choices = [("a", "A"), ("b", "B")]
    first = QuickSelect(choices=choices).render("pick", "a")
    second = QuickSelect(choices=choices).render("pick", "b")
    assert [selected for _, selected, _ in _options(first)] == [True, False]
    assert [selected for _, selected, _ in _options(second)] == [False, True]


def test_a_translated_label_follows_the_language_of_each_request():
    widget = QuickSelect(choices=[("", gettext_lazy("All outlets"))])
    with translation.override("en"):
        english = widget.render("outlet", "")
    with translation.override("de"):
        german = widget.render("outlet", "")
        in_german = translation.gettext("All outlets")
    assert _options(english)[0][2] == "All outlets"
    assert in_german != "All outlets"
    assert _options(german)[0][2] == in_german
