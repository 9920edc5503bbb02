"""The menu is built from the user's rights: every link it shows opens for that user, and every
area it leaves out would have refused them (tests/browser/test_menu.py clicks through it)."""

import pytest
from django.urls import reverse

from jaring.accounts.models import Role
from jaring.web.nav import MENU, entries_for
from tests.factories import PASIRAN, make_user
from tests.web.conftest import client_for

pytestmark = pytest.mark.django_db

# The demo roles where the demo puts them (jaring.demo.services.USERS).
ROLES = [
    (Role.ADMIN, None),
    (Role.PROGRAMME_OFFICER, "61.72"),
    (Role.ENUMERATOR, PASIRAN),
    (Role.BPJS_OFFICER, "61.72"),
    (Role.COMPLIANCE_OFFICER, "61.72"),
    (Role.VIEWER, "61.72"),
    (Role.AGENT, "61.72.02"),
]


@pytest.mark.parametrize(("role", "scope"), ROLES, ids=[r for r, _ in ROLES])
def test_every_menu_link_opens_and_every_area_left_out_is_refused(role, scope):
    user = make_user(role, scope)
    client = client_for(user)
    shown = entries_for(user)
    assert shown, "every role has somewhere to go"
    for url, label in shown:
        response = client.get(url, follow=True)
        assert response.status_code == 200, (role, label, url)
    shown_urls = {url for url, _ in shown}
    for entry in MENU:
        if entry.page_for(user) is None:
            for name, _action in entry.pages:
                url = reverse(name)
                assert url not in shown_urls
                assert client.get(url, follow=True).status_code in (403, 404), (role, url)


def test_the_page_marks_its_own_entry_only():
    user = make_user(Role.PROGRAMME_OFFICER, "61.72")
    html = client_for(user).get(reverse("enrolment:bpjs:index")).content.decode()
    nav = html.split('<nav class="nav"', 1)[1].split("</nav>", 1)[0]
    assert nav.count('aria-current="page"') == 1
    assert f'href="{reverse("enrolment:bpjs:index")}" aria-current="page"' in nav


def test_a_viewer_finds_the_money_reports_under_claims_and_employers():
    urls = {url for url, _ in entries_for(make_user(Role.VIEWER, "61.72"))}
    assert reverse("claims:report") in urls and reverse("claims:list") not in urls
    assert reverse("compliance:report") in urls and reverse("compliance:work") not in urls
    assert reverse("imports:list") not in urls and reverse("enrolment:bpjs:index") not in urls
