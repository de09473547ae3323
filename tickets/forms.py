"""HTML forms for the portal and the agent workspace.

Forms check the shape of the input only (types, choices, lengths); the rules
(who may do what, workflow, attachment limits) live in `tickets.services`,
whose errors the views put back onto these forms.
"""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from accounts.models import STAFF_ROLES, Team, User
from tickets.models import TRANSITIONS, Category, Channel, Priority, Status, Ticket
from tickets.selectors import SORTS, QueueView


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more uploaded files, cleaned to a list."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def _attachments_field() -> MultipleFileField:
    count = settings.MAX_ATTACHMENTS_PER_MESSAGE
    megabytes = settings.MAX_ATTACHMENT_BYTES // (1024 * 1024)
    return MultipleFileField(
        label=_("Attachments"),
        help_text=ngettext_lazy(
            "Optional: up to %(count)d file, %(mb)d MB each.",
            "Optional: up to %(count)d files, %(mb)d MB each.",
            "count",
        )
        % {"count": count, "mb": megabytes},
    )


class TicketCreateForm(forms.Form):
    """A customer files a ticket in the portal."""

    subject = forms.CharField(
        label=_("Subject"),
        max_length=255,
        help_text=_("A few words that sum up the problem."),
        # While the customer types, matching help articles appear below the field.
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "hx-get": reverse_lazy("kb:suggest"),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#kb-suggestions",
                "aria-controls": "kb-suggestions",
            }
        ),
    )
    body = forms.CharField(
        label=_("How can we help?"),
        max_length=50_000,
        help_text=_("Tell us what happened, what you expected and any order number."),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"] = _attachments_field()


class ReplyForm(forms.Form):
    """A message on an existing ticket, from the customer or from staff."""

    body = forms.CharField(
        label=_("Your reply"), max_length=50_000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"] = _attachments_field()


class AgentReplyForm(ReplyForm):
    internal = forms.BooleanField(
        label=_("Internal note"),
        required=False,
        help_text=_("Only staff see internal notes; the customer is not emailed."),
    )

    field_order = ["body", "internal", "attachments"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Reply or note")


class TagsField(forms.CharField):
    """Comma-separated tag names, cleaned to a list (the service normalises them)."""

    def clean(self, value) -> list[str]:  # type: ignore[override]
        text = super().clean(value)
        return [name.strip() for name in text.split(",") if name.strip()]


class TicketPropertiesForm(forms.Form):
    """Status, priority, category, assignee, team and tags of one ticket.

    Every field renders its initial value in a hidden input too
    (`show_hidden_initial`), so `changed_data` lists exactly the fields this
    agent changed: a stale page never reverts what a colleague changed since.
    Missing fields count as unchanged, so a small form (such as "Assign to
    me") can post just one field.
    """

    status = forms.ChoiceField(label=_("Status"), required=False, show_hidden_initial=True)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, required=False, show_hidden_initial=True
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=Category.choices, required=False, show_hidden_initial=True
    )
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Unassigned"),
        show_hidden_initial=True,
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("No team"),
        show_hidden_initial=True,
    )
    tags = TagsField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Separate tags with commas."),
        show_hidden_initial=True,
    )

    # Fields that cannot be emptied: a blank value means "not given".
    NOT_EMPTY = ("status", "priority", "category")

    def __init__(self, *args, ticket: Ticket, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": ticket.status,
                "priority": ticket.priority,
                "category": ticket.category,
                "assignee": ticket.assignee_id,
                "team": ticket.team_id,
                "tags": ", ".join(tag.name for tag in ticket.tags.all()),
            },
        )
        super().__init__(*args, **kwargs)
        # Offer only the moves the workflow allows from here.
        allowed = {ticket.status, *TRANSITIONS[ticket.status]}
        self.fields["status"].choices = [(v, label) for v, label in Status.choices if v in allowed]
        self.fields["assignee"].queryset = User.objects.filter(
            role__in=STAFF_ROLES, is_active=True
        ).order_by("full_name", "email")
        self.fields["team"].queryset = Team.objects.order_by("name")

    def changes(self) -> dict:
        """The cleaned values of the fields this agent changed, ready for `ticket_update`."""
        changes = {name: self.cleaned_data[name] for name in self.changed_data}
        for name in self.NOT_EMPTY:
            if changes.get(name) == "":
                del changes[name]
        return changes


class QueueFilterForm(forms.Form):
    """The agent queue's view, filters and order, read from the query string."""

    VIEW_CHOICES = [
        (QueueView.MINE, _("Mine")),
        (QueueView.UNASSIGNED, _("Unassigned")),
        (QueueView.TEAM, _("My teams")),
        (QueueView.OPEN, _("All open")),
        (QueueView.RECENT, _("Recently updated")),
    ]
    SORT_CHOICES = [
        ("updated", _("Recently updated")),
        ("oldest", _("Least recently updated")),
        ("created", _("Newest")),
        ("priority", _("Highest priority")),
    ]

    view = forms.ChoiceField(choices=VIEW_CHOICES, required=False, widget=forms.HiddenInput)
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Subject, email or HD-123")}
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=[("", _("Any priority")), *Priority.choices], required=False
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("Any channel")), *Channel.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Any category")), *Category.choices], required=False
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, extra_filters=(), **kwargs) -> None:
        """`extra_filters`: filters other apps registered (`tickets.extensions.QueueFilter`)."""
        super().__init__(*args, **kwargs)
        self.extra_filters = [f for f in extra_filters if f.name not in self.fields]
        for extra in self.extra_filters:
            self.fields[extra.name] = forms.ChoiceField(
                label=extra.label, choices=extra.choices, required=False
            )

    def is_filtered(self) -> bool:
        """True when any filter (not the view or the order) narrows the queue."""
        self.is_valid()
        names = ["status", "priority", "channel", "category", "q"]
        names += [extra.name for extra in self.extra_filters]
        return any(self.cleaned_data.get(name) for name in names)

    def queue_arguments(self, *, default_view: str) -> dict[str, str]:
        """Keyword arguments for `selectors.ticket_queue`; invalid values are ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        arguments = {
            name: data.get(name) or ""
            for name in ("status", "priority", "channel", "category", "q")
        }
        arguments["view"] = data.get("view") or default_view
        sort = data.get("sort") or "updated"
        arguments["sort"] = sort if sort in SORTS else "updated"
        return arguments
