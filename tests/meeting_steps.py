"""Steps of a meeting, as the forms of the live page send them."""

from datetime import UTC, datetime, timedelta

from tests.helpers import csrf_token, post_form

IN_A_MONTH = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=30)


def add_situation(client, meeting, reference, presented_by):
    """Put a situation on the agenda through the form."""
    return post_form(
        client,
        f"/meetings/{meeting.id}/situations",
        {"situation-reference": reference, "situation-presented_by_id": presented_by},
        form_page=f"/meetings/{meeting.id}",
    )


def save_summary(client, meeting, review, summary, version, fragment=True):
    """Autosave the summary as htmx does."""
    token = csrf_token(client, f"/meetings/{meeting.id}")
    return client.post(
        f"/meetings/{meeting.id}/reviews/{review.id}/summary",
        data={"csrf_token": token, "summary": summary, "version": version},
        headers={"HX-Request": "true"} if fragment else {},
    )


def add_action(client, meeting, review, key="k1", fragment=True, **fields):
    """Submit the inline action form."""
    due_on = (IN_A_MONTH + timedelta(days=30)).date().isoformat()
    data = {
        "owner_organisation_id": meeting.caf.id,
        "assignee_id": "0",
        "title": "Ouvrir les droits RSA",
        "due_on": due_on,
        "horizon": "short",
        "theme": "income",
        "key": key,
    } | fields
    token = csrf_token(client, f"/meetings/{meeting.id}")
    return client.post(
        f"/meetings/{meeting.id}/reviews/{review.id}/actions",
        data={"csrf_token": token, **{f"action-{name}": value for name, value in data.items()}},
        headers={"HX-Request": "true"} if fragment else {},
    )
