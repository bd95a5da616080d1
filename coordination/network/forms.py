"""Forms of the network's settings."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..forms import BaseForm, strip, submission_key_field, version_field
from ..models.themes import THEME_NAME_LENGTH


def name_field():
    """A theme's name, required, within the column's limit."""
    return StringField(
        _l("Name of the theme"),
        validators=[
            DataRequired(message=_l("Write the theme's name.")),
            Length(
                max=THEME_NAME_LENGTH,
                message=_l("At most %(max)d characters.", max=THEME_NAME_LENGTH),
            ),
        ],
        filters=[strip],
    )


class NewThemeForm(BaseForm):
    """A theme added to the network."""

    name = name_field()
    key = submission_key_field()


class RenameThemeForm(BaseForm):
    """A theme's new name."""

    name = name_field()
    version = version_field()


class ArchiveThemeForm(BaseForm):
    """Archive a theme, or bring it back into use."""

    version = version_field()
