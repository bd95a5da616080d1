"""Forms of the directory and charter screens; limits mirror the columns."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from ..forms import (
    EMAIL_MAX_LENGTH,
    BaseForm,
    CheckboxList,
    FilterForm,
    FlexibleDateField,
    check_optional_email,
    check_phone,
    check_siret,
    check_website,
    normalise_email,
    normalise_siret,
    options,
    strip,
    submission_key_field,
    web_address,
    whole_number,
)
from ..labels import ORGANISATION_KIND_LABELS, SERVICE_ACCESS_LABELS, choices
from ..themes import filter_options as theme_filter
from ..themes import form_options as theme_options

TEXT_MAX = 5000


def email_field(label):
    """An optional e-mail field."""
    return StringField(
        label,
        validators=[Optional(), Length(max=EMAIL_MAX_LENGTH), check_optional_email],
        filters=[normalise_email],
    )


def phone_field(label):
    """An optional phone field."""
    return StringField(label, validators=[Optional(), Length(max=30), check_phone], filters=[strip])


def text_field(label, length, required=False, area=False):
    """A text field, required or not, with the column's limit."""
    field = TextAreaField if area else StringField
    first = InputRequired() if required else Optional()
    return field(label, validators=[first, Length(max=length)], filters=[strip])


class EntryForm(BaseForm):
    """An organisation's directory entry."""

    name = text_field(_l("Name"), 200, required=True)
    kind = SelectField(_l("Kind"), choices=options(choices(ORGANISATION_KIND_LABELS)))
    missions = text_field(_l("Missions, in plain words"), TEXT_MAX, area=True)
    address = text_field(_l("Address"), 200)
    postal_code = text_field(_l("Postal code"), 10)
    city = text_field(_l("Town"), 100)
    phone = phone_field(_l("Phone"))
    email = email_field(_l("E-mail address"))
    website = StringField(
        _l("Website"),
        validators=[Optional(), Length(max=300), check_website],
        filters=[strip, web_address],
        description=_l("Starting with https://"),
    )
    area_served = text_field(_l("Area served"), 300)
    siret = StringField(
        "SIRET",
        validators=[Optional(), check_siret],
        filters=[strip, normalise_siret],
        description=_l("14 digits, to recognise the organisation in national directories"),
    )
    themes = CheckboxList(_l("Themes"), choices=theme_options)


class NewEntryForm(EntryForm):
    """An organisation added to the directory."""

    key = submission_key_field()


class ContactForm(BaseForm):
    """A named contact person."""

    name = text_field(_l("Name"), 120, required=True)
    function = text_field(_l("Function"), 120)
    phone = phone_field(_l("Phone"))
    email = email_field(_l("E-mail address"))


class NewContactForm(ContactForm):
    """A contact person added to an entry."""

    key = submission_key_field()


class ServiceForm(BaseForm):
    """A service: who may come, how, when, at what cost."""

    name = text_field(_l("Name of the service"), 200, required=True)
    description = text_field(_l("What it offers"), TEXT_MAX, area=True)
    eligibility = text_field(_l("Who is eligible"), TEXT_MAX, area=True)
    access = SelectField(_l("How to come"), choices=options(choices(SERVICE_ACCESS_LABELS)))
    referral_needed = BooleanField(_l("A referral by a professional is needed"))
    opening_hours = text_field(_l("Opening hours"), 300)
    languages = text_field(_l("Languages spoken"), 200)
    cost = text_field(_l("Cost"), 200)
    phone = phone_field(_l("Phone"))
    email = email_field(_l("E-mail address"))


class NewServiceForm(ServiceForm):
    """A service added to an entry."""

    key = submission_key_field()


CHARTER_FILTERS = [("", _l("Any")), ("signed", _l("Signed")), ("not_signed", _l("Not signed"))]


class DirectoryFilterForm(FilterForm):
    """Search and filters of the directory."""

    q = SearchField(
        _l("Search"),
        validators=[Optional(), Length(max=100)],
        filters=[strip],
        description=_l("A few letters of a name, a mission, a town, a theme or a service."),
    )
    kind = SelectField(
        _l("Kind"),
        choices=options([("", _l("All kinds")), *choices(ORGANISATION_KIND_LABELS)]),
        default="",
    )
    theme = SelectField(_l("Theme"), choices=theme_filter, default="")
    charter = SelectField(_l("Current charter"), choices=options(CHARTER_FILTERS), default="")


class ImportForm(BaseForm):
    """The file to import (CSV, HSDS or data·inclusion), sent or fetched from a web address."""

    file = FileField(
        _l("File"),
        description=_l(
            "A spreadsheet saved as CSV (separator ; or ,, 5 MB at most), or a JSON file in "
            "Open Referral HSDS 3.0 or in the data·inclusion schema (20 MB at most)."
        ),
        render_kw={"accept": ".csv,.json,text/csv,application/json"},
    )
    url = StringField(
        _l("Or the web address of a JSON file"),
        validators=[Optional(), Length(max=2000)],
        filters=[strip, web_address],
        description=_l("For instance a data·inclusion or HSDS export this installation can reach."),
    )
    key = submission_key_field()


class CharterVersionForm(BaseForm):
    """A new version of the charter."""

    title = text_field(_l("Title"), 200, required=True)
    text = text_field(_l("Text of the charter"), 50_000, required=True, area=True)
    published_on = FlexibleDateField(_l("Date of the version"), validators=[InputRequired()])
    key = submission_key_field()


class SignatureForm(BaseForm):
    """An organisation's signature of the current charter."""

    organisation_id = SelectField(_l("Organisation"), coerce=whole_number)
    signed_on = FlexibleDateField(_l("Signed on"), validators=[InputRequired()])
    signatory_name = text_field(_l("Signatory's name"), 120, required=True)
    signatory_function = text_field(_l("Signatory's function"), 120, required=True)
    key = submission_key_field()


class GlossaryForm(BaseForm):
    """The network's acronyms, one per line: "FSL: Fonds de solidarité logement"."""

    terms = TextAreaField(
        _l("Acronyms of the network"),
        validators=[Length(max=20_000)],
        description=_l(
            'One per line, the acronym then a colon and its meaning: "FSL: Fonds de '
            'solidarité logement".'
        ),
    )
    version = HiddenField()
