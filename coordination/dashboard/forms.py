"""The dashboard's filters, read from the URL."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from wtforms import SelectField

from ..clock import today
from ..forms import options, whole_number
from ..meetings.forms import PeriodForm
from ..themes import filter_options as theme_filter


class DashboardFilterForm(PeriodForm):
    """A period (the last twelve months by default), a partner, a theme, a meeting series."""

    organisation = SelectField(_l("Partner"), coerce=whole_number, default=0)
    theme = SelectField(_l("Theme"), default="")
    series = SelectField(_l("Meeting series"), coerce=whole_number, default=0)

    def fill_choices(self, organisations, series):
        """Offer the active organisations, the themes and the series."""
        self.organisation.choices = options([(0, _l("All partners")), *organisations])
        self.theme.choices = theme_filter()
        self.series.choices = options([(0, _l("All meetings")), *series])
        return self

    def period(self):
        """The period asked for, or the last twelve months."""
        end = self.end.data or today()
        return self.start.data or end - timedelta(days=365), end
