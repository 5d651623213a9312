"""The isolation tests' two sides: each cooperative's editor logged in, against the other
cooperative's pages, media and records. A test module says what a side holds (its `sides`
fixture: {1: coop1's side, 2: coop2's side}, each with an `editor`); every test then runs once
in each direction."""

import pytest


@pytest.fixture(params=[(1, 2), (2, 1)], ids=["coop1-editor-vs-coop2", "coop2-editor-vs-coop1"])
def direction(request):
    """(own, other): the cooperative whose editor is logged in, and the other one."""
    return request.param


@pytest.fixture
def own(sides, direction):
    return sides[direction[0]]


@pytest.fixture
def other(sides, direction):
    return sides[direction[1]]


@pytest.fixture
def editor_client(client, own):
    client.force_login(own.editor)
    return client
