"""Cooperative editors translate their own pages, and edit the translations, not the other
cooperative's."""

import pytest

from django.urls import reverse

from growers.services import ensure_cooperative_editors


@pytest.fixture
def editors(django_user_model, coop1, coop2):
    users = {}
    for name, cooperative in (("ed1", coop1), ("ed2", coop2)):
        user = django_user_model.objects.create_user(name, password="pw")
        user.groups.add(ensure_cooperative_editors(cooperative=cooperative))
        users[name] = user
    return users


def translate(client, page, locale):
    return client.post(
        reverse("simple_translation:submit_page_translation", args=[page.pk]), {"locales": [locale.pk]}
    )


@pytest.mark.django_db
def test_an_editor_translates_their_cooperative_and_then_edits_the_translation(
    client, editors, coop1, coop2, cooperative_index, english
):
    cooperative_index.copy_for_translation(english, copy_parents=True)
    client.force_login(editors["ed1"])

    response = translate(client, coop1, english)

    assert response.status_code == 302
    translation = coop1.get_translation(english)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[translation.pk])).status_code == 200
    # The other cooperative's editor may neither translate coop1 nor edit its translation.
    client.force_login(editors["ed2"])
    assert client.get(reverse("wagtailadmin_pages:edit", args=[translation.pk])).status_code == 302
    assert translate(client, coop1, english).status_code in (302, 403, 404)
    assert not coop1.get_translations().filter(locale=english).exclude(pk=translation.pk).exists()


@pytest.mark.django_db
def test_the_other_editor_cannot_translate_a_cooperative_not_theirs(
    client, editors, coop1, cooperative_index, english
):
    cooperative_index.copy_for_translation(english, copy_parents=True)
    client.force_login(editors["ed2"])

    translate(client, coop1, english)

    assert coop1.get_translation_or_none(english) is None
