"""Ripple installs on a phone's home screen: a manifest with its icons, linked from
every page."""

import json

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_the_manifest_names_the_app_its_icons_and_where_it_opens(client):
    response = client.get(reverse("tracker:manifest"))
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["name"], manifest["start_url"], manifest["display"]) == (
        "Ripple", "/today/", "standalone",
    )  # fmt: skip
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


def test_every_page_links_the_manifest(client):
    page = client.get(reverse("login")).text
    assert f'<link rel="manifest" href="{reverse("tracker:manifest")}">' in page
