"""Who may open and use each progress page: every page as every persona.

The rules: progress is never public (anonymous readers are sent to sign in); a reader who may
not see a response gets 404; a reader who sees it but may not act gets 403.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from recreg.progress import urls as progress_urls
from recreg.progress.models import ClosureProposal, Evidence, ProgressUpdate, TimelineEvent
from tests.conftest import PERSONAS, client_for
from tests.progress.conftest import PDF, upload

SEE = ["inspector", "inspectorate_reader", "force_a_editor", "pcc_officer", "national_reader"]
READERS_WHO_SEE = ["inspectorate_reader", "pcc_officer", "national_reader"]


def expected(persona: str, *, ok=(), forbidden=(), hidden=()) -> int:
    if persona == "anonymous":
        return 302
    if persona in ok:
        return 200
    if persona in forbidden:
        return 403
    return 404


# (url name, how to get its arguments from the scene, who gets 200, who gets 403); everyone
# else signed in gets 404 and anonymous readers are redirected to sign in.
PAGES = [
    ("progress:my_work", lambda w, s: [], PERSONAS[:-1], ()),
    ("progress:response", lambda w, s: [s.response_a.pk], SEE, ()),
    ("progress:allocate", lambda w, s: [s.response_a.pk], ["force_a_editor"], ["inspector", *READERS_WHO_SEE]),
    ("progress:post_update", lambda w, s: [s.open_a.pk], ["force_a_editor"], ["inspector", *READERS_WHO_SEE]),
    ("progress:attach_evidence", lambda w, s: [s.open_a.pk], ["force_a_editor"], ["inspector", *READERS_WHO_SEE]),
    ("progress:target_date", lambda w, s: [s.open_a.pk], ["force_a_editor"], ["inspector", *READERS_WHO_SEE]),
    ("progress:propose_closure", lambda w, s: [s.open_a.pk], ["force_a_editor"], ["inspector", *READERS_WHO_SEE]),
    ("progress:challenge", lambda w, s: [s.fact_check_a.pk], ["force_a_editor"], ["inspector", *READERS_WHO_SEE]),
    ("progress:discharge", lambda w, s: [s.open_a.pk], ["inspector"], ["force_a_editor", *READERS_WHO_SEE]),
    ("progress:decide_closure", lambda w, s: [s.proposal_a.pk], ["inspector"], ["force_a_editor", *READERS_WHO_SEE]),
    ("progress:decide_challenge", lambda w, s: [s.challenge_a.pk], ["inspector"], ["force_a_editor", *READERS_WHO_SEE]),
    ("progress:evidence_download", lambda w, s: [s.evidence_a.pk], SEE, ()),
    ("progress:force_overview", lambda w, s: ["force-a"], SEE, ()),
    ("progress:boards", lambda w, s: ["force-a"], SEE, ()),
    ("progress:reassign", lambda w, s: ["force-a"], ["force_a_editor"], ["inspector", *READERS_WHO_SEE]),
]  # fmt: skip


def test_every_progress_page_is_in_the_matrix():
    names = {f"progress:{p.name}" for p in progress_urls.urlpatterns}
    assert names == {name for name, *_ in PAGES}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "args", "ok", "forbidden"), PAGES, ids=[p[0] for p in PAGES])
def test_page_access(world, scene, persona, name, args, ok, forbidden):
    url = reverse(name, args=args(world, scene))
    page = client_for(world, persona).get(url)
    assert page.status_code == expected(persona, ok=ok, forbidden=forbidden), url
    if persona == "anonymous":
        assert page["Location"].startswith(reverse("accounts:login"))


FORCE_B_STEPS = [
    ("progress:response", lambda s: [s.response_b.pk]),
    ("progress:allocate", lambda s: [s.response_b.pk]),
    ("progress:post_update", lambda s: [s.response_b.pk]),
    ("progress:attach_evidence", lambda s: [s.response_b.pk]),
    ("progress:target_date", lambda s: [s.response_b.pk]),
    ("progress:propose_closure", lambda s: [s.response_b.pk]),
    ("progress:challenge", lambda s: [s.fact_check_b.pk]),
    ("progress:decide_closure", lambda s: [s.proposal_b.pk]),
    ("progress:decide_challenge", lambda s: [s.challenge_b.pk]),
    ("progress:evidence_download", lambda s: [s.evidence_b.pk]),
    ("progress:force_overview", lambda s: ["force-b"]),
    ("progress:boards", lambda s: ["force-b"]),
    ("progress:reassign", lambda s: ["force-b"]),
]


@pytest.mark.parametrize(("name", "args"), FORCE_B_STEPS, ids=[p[0] for p in FORCE_B_STEPS])
def test_force_a_cannot_see_or_touch_force_bs_progress(world, scene, name, args):
    client = client_for(world, "force_a_editor")
    url = reverse(name, args=args(scene))
    before = (
        ProgressUpdate.objects.count(),
        Evidence.objects.count(),
        ClosureProposal.objects.count(),
        TimelineEvent.objects.count(),
    )
    assert client.get(url).status_code == 404
    posted = client.post(
        url,
        {
            "version": scene.response_b.version + 10,
            "narrative": "Force A writing on B",
            "rag": "green",
            "statement": "Closing B",
            "decision": "completed",
            "name": "A's board on B",
            "files": upload("x.pdf", PDF),
        },
    )
    assert posted.status_code in (404, 405)
    after = (
        ProgressUpdate.objects.count(),
        Evidence.objects.count(),
        ClosureProposal.objects.count(),
        TimelineEvent.objects.count(),
    )
    assert after == before


ACTIONS = [
    ("progress:allocate", lambda s: s.open_a, {"owner": "", "tactical_lead": ""}),
    ("progress:post_update", lambda s: s.open_a, {"narrative": "Reader's words", "rag": "red"}),
    ("progress:attach_evidence", lambda s: s.open_a, {}),
    ("progress:target_date", lambda s: s.open_a, {"new_date": "01/01/2099", "reason": "x"}),
    ("progress:propose_closure", lambda s: s.open_a, {"statement": "Closing"}),
    ("progress:challenge", lambda s: s.fact_check_a, {"proposed_text": "x", "reason": "y"}),
    ("progress:discharge", lambda s: s.open_a, {"reason": "x", "override_reason": "y"}),
]


@pytest.mark.parametrize("persona", ["force_b_reader", *READERS_WHO_SEE, "anonymous"])
@pytest.mark.parametrize(("name", "target", "data"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_readers_cannot_change_anything(world, scene, persona, name, target, data):
    response = target(scene)
    before = TimelineEvent.objects.count()
    posted = client_for(world, persona).post(
        reverse(name, args=[response.pk]),
        {**data, "version": response.version, "files": upload("x.pdf", PDF)},
    )
    if persona == "anonymous":
        assert posted.status_code == 302
        assert posted["Location"].startswith(reverse("accounts:login"))
    elif persona == "force_b_reader":
        assert posted.status_code == 404
    else:
        assert posted.status_code == 403
    assert TimelineEvent.objects.count() == before


@pytest.mark.parametrize("persona", ["force_a_editor", *READERS_WHO_SEE])
def test_only_the_inspectorate_decides_its_closures_and_challenges(world, scene, persona):
    client = client_for(world, persona)
    version = scene.response_a.__class__.objects.get(pk=scene.response_a.pk).version
    assert (
        client.post(
            reverse("progress:decide_closure", args=[scene.proposal_a.pk]),
            {"decision": "completed", "version": version},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("progress:decide_challenge", args=[scene.challenge_a.pk]),
            {"decision": "accept", "version": scene.fact_check_a.version + 1},
        ).status_code
        == 403
    )
    scene.proposal_a.refresh_from_db()
    assert scene.proposal_a.is_pending


def test_anonymous_readers_never_get_evidence(world, scene):
    page = client_for(world, "anonymous").get(
        reverse("progress:evidence_download", args=[scene.evidence_a.pk])
    )
    assert page.status_code == 302
    assert b"%PDF" not in page.content
