"""Every string marked for translation has its Spanish: makemessages, run as
`make translations` runs it, finds nothing untranslated or fuzzy in the catalogue."""

import shutil
import subprocess

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

CATALOGUE = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"
IGNORED = ["bench/*", "staticfiles/*", "tests/*", "artifacts/*"]
SOURCES = ["config", "education", "templates", "tracker"]  # all that `make translations` reads
PYCACHE = shutil.ignore_patterns("__pycache__")


def entries(po, *flags) -> list[str]:
    listed = subprocess.run(  # noqa: S603 - our own catalogue, gettext's own tool
        [shutil.which("msgattrib"), *flags, "--no-obsolete", "--no-wrap", str(po)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return [line for line in listed.splitlines() if line.startswith("msgid ")][1:]


def test_makemessages_finds_no_spanish_string_untranslated(tmp_path, monkeypatch):
    # makemessages merges into the locale folder nearest the files it reads, so it runs
    # on a copy of the code and its catalogue: the one in git stays as it is.
    for folder in SOURCES:
        shutil.copytree(settings.BASE_DIR / folder, tmp_path / folder, ignore=PYCACHE)
    copy = tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po"
    copy.parent.mkdir(parents=True)
    shutil.copy(CATALOGUE, copy)
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["es"], ignore_patterns=IGNORED, verbosity=0)
    assert entries(copy, "--untranslated") == []
    assert entries(copy, "--only-fuzzy") == []


def test_the_compiled_catalogue_is_the_one_in_git():
    """`make` compiles the .po before the tests run: a page in Spanish reads from it."""
    with translation.override("es"):
        assert translation.gettext("Library") == "Biblioteca"
