"""The committed django.mo is the compiled django.po: `make run` needs no gettext tools."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES"


def _catalogue(path: Path) -> dict:
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)


@pytest.mark.parametrize("domain", sorted(p.stem for p in LOCALE.glob("*.po")))
def test_committed_mo_matches_po(domain, tmp_path):
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (GNU gettext) is not installed; cannot compile the .po to compare")
    compiled = tmp_path / f"{domain}.mo"
    subprocess.run([msgfmt, "--check", "-o", str(compiled), str(LOCALE / f"{domain}.po")], check=True)
    committed = LOCALE / f"{domain}.mo"
    assert committed.exists(), f"{committed} is missing: run `make messages` and commit it"
    assert _catalogue(committed) == _catalogue(compiled), (
        f"{committed.name} is out of date with {domain}.po: run `make messages` and commit it"
    )


def test_catalogue_is_indonesian_with_one_plural_form():
    with (LOCALE / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert catalogue.info()["plural-forms"] == "nplurals=1; plural=0;"
    assert catalogue.gettext("Save draft") == "Simpan draf"
    assert catalogue.ngettext("There is one matching page", "There are %(counter)s matching pages", 3) == (
        "Ada %(counter)s halaman yang cocok"
    )
