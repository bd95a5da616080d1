"""`/actions`: the actions of my organisation, late first, with their status buttons."""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from .. import access, audit
from ..access import WHOLE_NETWORK
from ..clock import today
from ..forms import options
from ..htmx import render
from ..meetings.queries import active_organisations
from ..models import Role
from ..routing import route
from .forms import ActionFilterForm
from .queries import action_page


def filter_form(formdata):
    """The filters; coordinators may also look at another organisation's or the network's."""
    form = ActionFilterForm(formdata)
    mine = [(0, current_user.organisation.name)]
    if access.can(current_user, "look_at_other_organisations"):
        network = [(WHOLE_NETWORK, _("The whole network"))]
        form.organisation.choices = options([*mine, *network, *active_organisations()])
    else:
        form.organisation.choices = options(mine)
    return form


@route("/actions")
@access.roles(Role.PROFESSIONAL, Role.COORDINATOR)
def index():
    """My organisation's actions: filters, order, pages; overdue ones stand out."""
    form = filter_form(request.args)
    # Filters that do not validate are explained next to them and not applied.
    applied = form if form.validate() else filter_form(None)
    day = today()
    page = action_page(current_user, applied, day)
    audit.record("actions_listed", detail=f"{page.total} actions")
    return render("actions/index.html", "actions/_list.html", form=form, page=page, today=day)
