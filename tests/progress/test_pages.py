"""The progress pages as people use them: forms, refusals, the timeline and downloads."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from recreg.findings.models import GovernanceBoard, Response, ResponseState
from recreg.progress.models import Evidence, ProgressUpdate, TargetDateChange
from tests.conftest import client_for
from tests.progress.conftest import EXE, PDF, PNG, response_of, stored_files, upload


def version_of(response) -> int:
    return Response.objects.get(pk=response.pk).version


def text(page) -> str:
    return re.sub(r"\s+", " ", page.content.decode())


def test_the_response_page_shows_the_full_timeline(world, scene):
    page = client_for(world, "inspectorate_reader").get(
        reverse("progress:response", args=[scene.response_a.pk])
    )
    assert page.status_code == 200
    body = text(page)
    for words in (
        "Allocated to Alex Chief (strategic owner) and Sam Super (tactical lead)",
        "Posted a progress update (Amber)",
        "Force A&#x27;s safeguarding policy is live.",
        "Proposed closing this response, for sign-off by the inspectorate",
        "Done and audited.",
        "policy.pdf",
        "Pending sign-off",
        "Edith Editor",
        "Olu Other",
    ):
        assert words in body, words
    # A reader sees no actions.
    assert "Post an update" not in body
    assert "Decide" not in body


def test_the_response_page_offers_each_reader_their_own_steps(world, scene):
    editor = text(
        client_for(world, "force_a_editor").get(
            reverse("progress:response", args=[scene.open_a.pk])
        )
    )
    assert "Post an update" in editor and "Propose closure" in editor
    assert reverse("progress:target_date", args=[scene.open_a.pk]) in editor
    inspector = text(
        client_for(world, "inspector").get(reverse("progress:response", args=[scene.response_a.pk]))
    )
    assert reverse("progress:decide_closure", args=[scene.proposal_a.pk]) in inspector
    assert "Post an update" not in inspector


def test_posting_an_update_with_evidence_through_the_page(world, scene, file_store):
    client = client_for(world, "force_a_editor")
    url = reverse("progress:post_update", args=[scene.open_a.pk])
    assert client.get(url).status_code == 200
    posted = client.post(
        url,
        {
            "version": version_of(scene.open_a),
            "narrative": "All officers re-vetted in the north.",
            "rag": "green",
            "percent_complete": "60",
            "files": [upload("vetting.pdf", PDF), upload("chart.png", PNG)],
        },
    )
    assert posted.status_code == 302
    assert posted["Location"] == reverse("progress:response", args=[scene.open_a.pk])
    update = ProgressUpdate.objects.get(narrative="All officers re-vetted in the north.")
    assert update.percent_complete == 60
    assert update.evidence.count() == 2
    page = text(client.get(posted["Location"]))
    assert "Your update has been posted" in page
    assert "Green, 60% complete" in page


def test_a_bad_file_is_refused_on_the_page_with_nothing_stored(world, scene, file_store):
    already = stored_files(file_store)
    client = client_for(world, "force_a_editor")
    page = client.post(
        reverse("progress:post_update", args=[scene.open_a.pk]),
        {
            "version": version_of(scene.open_a),
            "narrative": "With a bad file",
            "rag": "green",
            "files": [upload("minutes.pdf", EXE)],
        },
    )
    assert page.status_code == 400
    body = text(page)
    assert "There is a problem" in body
    assert "minutes.pdf must be a PDF, a Word document (.docx)" in body
    assert "With a bad file" in body  # what was typed is kept
    assert stored_files(file_store) == already
    assert not ProgressUpdate.objects.filter(narrative="With a bad file").exists()


def test_a_stale_save_is_refused_and_nothing_typed_is_lost(world, people, scene):
    first = client_for(world, "force_a_editor")
    second = client_for(world, "inspector")
    second.force_login(people.other_editor)
    url = reverse("progress:post_update", args=[scene.open_a.pk])
    opened = version_of(scene.open_a)
    # Both open the form; the first saves.
    assert (
        first.post(url, {"version": opened, "narrative": "First", "rag": "amber"}).status_code
        == 302
    )
    page = second.post(
        url, {"version": opened, "narrative": "Second, carefully typed", "rag": "red"}
    )
    assert page.status_code == 400
    body = text(page)
    assert "Someone else changed this response since you opened it" in body
    assert "Second, carefully typed" in body
    # The form now carries the latest version, so saving again works once checked.
    assert f'name="version" value="{version_of(scene.open_a)}"' in body
    assert list(
        ProgressUpdate.objects.filter(response=scene.open_a).values_list("narrative", flat=True)
    ) == ["First"]
    again = second.post(
        url, {"version": version_of(scene.open_a), "narrative": "Second", "rag": "red"}
    )
    assert again.status_code == 302


def test_changing_the_target_date_needs_a_reason_on_the_page(world, scene):
    client = client_for(world, "force_a_editor")
    url = reverse("progress:target_date", args=[scene.open_a.pk])
    new = timezone.localdate() + datetime.timedelta(days=45)
    page = client.post(
        url, {"version": version_of(scene.open_a), "new_date": new.strftime("%d/%m/%Y")}
    )
    assert page.status_code == 400
    assert "Enter the reason the target date is changing" in text(page)
    assert 'href="#id_reason"' in text(page)
    done = client.post(
        url,
        {
            "version": version_of(scene.open_a),
            "new_date": new.strftime("%d/%m/%Y"),
            "reason": "Waiting for the regional vetting team",
        },
    )
    assert done.status_code == 302
    change = TargetDateChange.objects.get(response=scene.open_a)
    assert change.new_date == new
    page = text(client.get(done["Location"]))
    assert "Target date history" in page
    assert "Waiting for the regional vetting team" in page


def test_a_step_that_cannot_be_taken_now_says_why(world, people):
    response = response_of(world.published_a, world.force_a)
    page = client_for(world, "force_a_editor").get(
        reverse("progress:post_update", args=[response.pk])
    )
    assert page.status_code == 200
    assert "You cannot do this now. Allocate this response" in text(page)
    assert 'name="narrative"' not in page.content.decode()


def test_allocating_through_the_page(world, people, board):
    response = response_of(world.published_a, world.force_a)
    client = client_for(world, "force_a_editor")
    url = reverse("progress:allocate", args=[response.pk])
    form = text(client.get(url))
    assert "Alex Chief, Assistant Chief Constable" in form
    assert "Ben Editor" not in form  # people of other forces are not offered
    refused = client.post(url, {"version": response.version, "owner": people.owner.pk})
    assert refused.status_code == 400
    assert "Choose the tactical lead" in text(refused)
    done = client.post(
        url,
        {
            "version": response.version,
            "owner": people.owner.pk,
            "tactical_lead": people.lead.pk,
            "governance_board": board.pk,
        },
    )
    assert done.status_code == 302
    response.refresh_from_db()
    assert response.state == ResponseState.IN_PROGRESS


def test_adding_a_board_from_the_allocation_page(world):
    response = response_of(world.published_a, world.force_a)
    client = client_for(world, "force_a_editor")
    back = reverse("progress:allocate", args=[response.pk])
    done = client.post(
        reverse("progress:boards", args=["force-a"]),
        {"name": "Service Improvement Board", "next": back},
    )
    assert done.status_code == 302
    assert done["Location"] == back
    assert GovernanceBoard.objects.filter(name="Service Improvement Board").exists()
    assert "Service Improvement Board" in text(client.get(back))
    refused = client.post(
        reverse("progress:boards", args=["force-a"]), {"name": "service improvement board"}
    )
    assert refused.status_code == 400
    assert "already has a board" in text(refused)


def test_reassigning_through_the_page(world, people, scene):
    client = client_for(world, "force_a_editor")
    url = reverse("progress:reassign", args=["force-a"])
    start = text(client.get(url))
    assert "Alex Chief (2 open)" in start  # the pending one and the open one
    chosen = client.get(url, {"person": people.owner.pk})
    body = text(chosen)
    assert "Alex Chief holds 2 open responses" in body
    token = re.search(r'name="token" value="([0-9a-f]+)"', chosen.content.decode()).group(1)
    done = client.post(
        url, {"person": people.owner.pk, "new_owner": people.other_editor.pk, "token": token}
    )
    assert done.status_code == 302
    assert "2 responses have been reassigned from Alex Chief" in text(client.get(done["Location"]))
    assert not Response.objects.filter(owner=people.owner).exists()


def test_evidence_downloads_as_an_attachment_with_its_stored_type(world, scene):
    download = client_for(world, "pcc_officer").get(
        reverse("progress:evidence_download", args=[scene.evidence_a.pk])
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="policy.pdf"'
    assert download["Cache-Control"] == "private, no-store"
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content) == PDF


def test_a_missing_file_is_a_404_not_a_crash(world, scene, file_store):
    for path in stored_files(file_store):
        path.unlink()
    page = client_for(world, "inspector").get(
        reverse("progress:evidence_download", args=[scene.evidence_a.pk])
    )
    assert page.status_code == 404


def test_the_inspector_completes_and_the_public_sees_completed(world, scene):
    inspector = client_for(world, "inspector")
    url = reverse("progress:decide_closure", args=[scene.proposal_a.pk])
    page = text(inspector.get(url))
    assert "Done and audited." in page
    refused = inspector.post(url, {"version": version_of(scene.response_a), "decision": "reopened"})
    assert refused.status_code == 400
    assert "Enter the reason for this decision" in text(refused)
    done = inspector.post(url, {"version": version_of(scene.response_a), "decision": "completed"})
    assert done.status_code == 302
    public = text(client_for(world, "anonymous").get(world.published_a.get_absolute_url()))
    assert "Completed" in public
    assert "safeguarding policy is live" not in public
    assert "policy.pdf" not in public


def test_superseding_through_the_page_names_the_finding(world, scene):
    inspector = client_for(world, "inspector")
    url = reverse("progress:decide_closure", args=[scene.proposal_a.pk])
    refused = inspector.post(
        url,
        {"version": version_of(scene.response_a), "decision": "superseded", "superseded_by": 99999},
    )
    assert "There is no finding with that number" in text(refused)
    done = inspector.post(
        url,
        {
            "version": version_of(scene.response_a),
            "decision": "superseded",
            "superseded_by": world.national_all.pk,
        },
    )
    assert done.status_code == 302
    assert "Superseded by" in text(inspector.get(done["Location"]))


def test_a_challenge_is_accepted_through_the_page(world, scene):
    inspector = client_for(world, "inspector")
    url = reverse("progress:decide_challenge", args=[scene.challenge_a.pk])
    page = text(inspector.get(url))
    assert "Day shifts were fully staffed." in page
    done = inspector.post(url, {"version": version_of(scene.fact_check_a), "decision": "accept"})
    assert done.status_code == 302
    world.fact_check_a.refresh_from_db()
    assert world.fact_check_a.text == "The force should review its custody staffing at night."


def test_challenging_through_the_page(world, people):
    response = response_of(world.fact_check_a, world.force_a)
    client = client_for(world, "force_a_editor")
    url = reverse("progress:challenge", args=[response.pk])
    assert world.fact_check_a.text in text(client.get(url))
    refused = client.post(url, {"version": response.version, "proposed_text": "New words"})
    assert "Enter the reason for the challenge" in text(refused)
    done = client.post(
        url, {"version": response.version, "proposed_text": "New words", "reason": "Facts"}
    )
    assert done.status_code == 302
    assert "Your challenge has been sent" in text(client.get(done["Location"]))


def test_attaching_evidence_through_the_page(world, scene, file_store):
    client = client_for(world, "force_a_editor")
    url = reverse("progress:attach_evidence", args=[scene.open_a.pk])
    empty = client.post(url, {"version": version_of(scene.open_a)})
    assert "Choose a file to attach" in text(empty)
    done = client.post(
        url,
        {
            "version": version_of(scene.open_a),
            "files": [upload("notes.txt", "Board minutes\n")],
            "description": "Minutes",
        },
    )
    assert done.status_code == 302
    assert Evidence.objects.filter(response=scene.open_a, download_name="notes.txt").exists()


def test_odd_addresses_are_not_found_or_ignored(world, scene):
    client = client_for(world, "force_a_editor")
    url = reverse("progress:post_update", args=[scene.open_a.pk])
    assert client.get(url, {"corrects": "abc"}).status_code == 404
    assert client.get(url, {"corrects": scene.update_b.pk}).status_code == 404  # not this one's
    boards = text(
        client.get(reverse("progress:boards", args=["force-a"]), {"next": "javascript:alert(1)"})
    )
    assert "javascript:" not in boards


def test_an_empty_post_is_a_form_error_not_a_blank_form(world, scene):
    page = client_for(world, "force_a_editor").post(
        reverse("progress:target_date", args=[scene.open_a.pk])
    )
    assert page.status_code == 400
    assert "There is a problem" in text(page)
