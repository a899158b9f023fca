"""Ripple installs on a phone's home screen: a manifest with its icons, linked from
every page; its service worker and offline page (the flow: tests/browser)."""

import json
import re

from django.contrib.staticfiles import finders
from django.test import Client
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


def test_the_service_worker_takes_workbox_from_our_own_static_files(client):
    worker = client.get(reverse("tracker:service-worker")).text
    scripts = re.findall(r'"(/static/vendor/workbox-[^"]+)"', worker)
    assert len(scripts) == 4
    for script in scripts:
        assert finders.find(script.removeprefix("/static/")), script
    assert "importScripts(" in worker and "http" not in worker.split("importScripts(")[1][:400]


def test_the_offline_page_is_public_and_personal_to_nobody(patient_client):
    anonymous = Client().get(reverse("tracker:offline"))
    signed_in = patient_client.get(reverse("tracker:offline"))
    assert anonymous.status_code == signed_in.status_code == 200
    assert anonymous.content == signed_in.content  # kept on a device: the same for all
    assert "You're offline" in anonymous.text


def test_pages_say_whose_diary_they_show_only_as_an_opaque_tag(patient_client, patient):
    page = patient_client.get(reverse("tracker:settings")).text
    tag = re.search(r'data-user="([0-9a-f]*)"', page).group(1)
    assert len(tag) == 20 and str(patient.user.pk) != tag
    assert 'data-user=""' in Client().get(reverse("login")).text
    check_in = patient_client.get(reverse("tracker:checkin", args=[patient.today()])).text
    assert "data-keep-offline" in check_in and "data-keep-offline" not in page
