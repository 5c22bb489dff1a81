"""The demo's vendor logins are printed by `make run` (seed_demo, run_sandbox) and listed in the README's tour."""

from io import StringIO

import pytest
from django.core.management import call_command

from sandbox.loket import data as loket
from sandbox.nmbrs import data as nmbrs
from sandbox.yuki import data as yuki
from tests.support import ROOT

LOGINS = [loket.DEMO_USERNAME, loket.DEMO_PASSWORD, nmbrs.DEMO_USERNAME, nmbrs.DEMO_TOKEN, nmbrs.DEMO_DOMAIN,
          yuki.DEMO_ACCESS_KEY, yuki.DEMO_ADMINISTRATION_ID, yuki.OTHER_ACCESS_KEY]


@pytest.mark.django_db
def test_seed_demo_prints_every_vendor_login():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    assert [login for login in LOGINS if login not in printed] == []


def test_the_readme_tour_lists_every_vendor_login():
    readme = (ROOT / "README.md").read_text()
    tour = readme[readme.index("### A first tour"):readme.index("## Test it")]
    assert [login for login in LOGINS if login not in tour] == []
