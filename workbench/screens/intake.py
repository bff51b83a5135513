"""Step 1, intake: the customer, the drive's label, the proof of purchase, the failure."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import Checkbox, Input, Label, Static, Switch, TextArea

from workbench.claim_draft import FieldProblem
from workbench.screens.step import StepScreen
from workbench.screens.widgets import Tick, words
from workbench.words.clause_text import clause_text
from workbench.words.language import _
from workbench.words.vocabulary import FIELD_NAMES, field_name


class FieldInput(Input):
    """A field of the form that says, naming itself, why a key was not taken (Textual drops it
    without a word when the field is full or the key is not allowed)."""

    def restricted(self) -> None:
        name = field_name(self.id) if self.id in FIELD_NAMES else _("this field")
        if self.max_length and len(self.value) >= self.max_length:
            why = (
                _("is full at {count} characters (YYYY-MM-DD): Backspace corrects it")
                if "date" in (self.id or "")
                else _("is full at {count} characters: Backspace corrects it")
            ).format(count=self.max_length)
        else:
            why = self.refused()
        self.notify(_("{name}: {problem}").format(name=name, problem=why), severity="warning", markup=False, timeout=4)

    def refused(self) -> str:
        return _("digits only") if self.type == "integer" else _("that key is not taken here")


class SerialInput(FieldInput):
    """The serial: typed by hand or by a barcode scanner, which ends with Enter."""

    def refused(self) -> str:
        return _("only letters, digits and '-' (as printed on the label)")


class IntakeScreen(StepScreen):
    STEP = "intake"
    # Focused first, not the scrolling body (Textual's first focusable): moving the focus
    # from a container restyles all it holds, twice (about a tenth of the start-up).
    AUTO_FOCUS = "#customer_name"
    BINDINGS = [Binding("enter", "enter_field", "Next field", show=False, priority=True)]

    def body(self) -> ComposeResult:
        claim = self.flow.claim
        lines = self.station.catalog_lines()
        yield from _row(
            "customer_name", FieldInput(claim.customer_name, placeholder=_("Name"), id="customer_name", max_length=200)
        )
        yield from _row(
            "customer_contact",
            FieldInput(claim.customer_contact, placeholder=_("Phone or e-mail"), id="customer_contact", max_length=200),
        )
        yield from _row(
            "model",
            FieldInput(
                claim.model,
                placeholder=_("e.g. NV7000, N600S"),
                id="model",
                suggester=SuggestFromList(lines, case_sensitive=False),
                max_length=64,
            ),
        )
        yield from _row(
            "capacity_gb",
            FieldInput(
                claim.capacity_gb, placeholder=_("e.g. 512, 1000, 2000"), id="capacity_gb", type="integer", max_length=6
            ),
        )
        yield from _row(
            "serial",
            SerialInput(
                claim.serial,
                placeholder=_("scan or type the label's serial"),
                id="serial",
                restrict=r"[A-Za-z0-9-]*",
                max_length=64,
            ),
        )
        with Horizontal(classes="row"):
            yield Label(_("Proof of purchase"), classes="field-label")
            yield Switch(claim.proof_of_purchase, id="proof_of_purchase")
            yield Static("", id="proof-words", markup=False)
        yield from _row(
            "purchase_date",
            FieldInput(
                claim.purchase_date, placeholder=_("YYYY-MM-DD on the receipt"), id="purchase_date", max_length=10
            ),
        )
        yield from _row(
            "manufacture_date",
            FieldInput(
                claim.manufacture_date, placeholder=_("YYYY-MM-DD from the label"), id="manufacture_date", max_length=10
            ),
        )
        yield Label(_("Failure description (as the customer tells it)"), classes="field-label wide")
        yield TextArea(claim.failure_description, id="failure_description", tab_behavior="focus", soft_wrap=True)
        # Short enough for 80 columns; the clause the customer agrees to is read out from below it.
        backup = self.station.clause("data_backup")
        yield Tick(
            _("Customer has a backup; their data is their own · {clause}").format(clause=backup.ref),
            claim.data_acknowledged,
            id="data_acknowledged",
        )
        yield Static(clause_text(backup), id="data-clause", classes="note", markup=False)
        yield Static("", id="intake-problems", markup=False)

    def on_mount(self) -> None:
        # Focused in a callback on the app's queue, which then hands on the keys the app held
        # since `n`: they reach the first field in the order typed, before any key after them.
        self.app.call_later(self._focus_first_field)
        self._sync_proof()

    async def _focus_first_field(self) -> None:
        self.set_focus(self.query_one("#customer_name", Input))
        await self.workbench.release_keys()

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    def _typed(self) -> None:
        self.changed()

    @on(Switch.Changed)
    def _switch_changed(self) -> None:
        self._sync_proof()
        self.changed()

    def keep_input(self) -> None:
        """The form as it is on screen, into the draft: read from the widgets, so a save at any
        moment (a hang-up between a key and its Changed message) has the last key too."""
        self.flow.update(
            **{field.id: field.value for field in self.query(Input) if field.id},
            failure_description=self.query_one("#failure_description", TextArea).text,
            proof_of_purchase=self.query_one("#proof_of_purchase", Switch).value,
            data_acknowledged=self.query_one("#data_acknowledged", Checkbox).value,
        )

    def action_enter_field(self) -> None:
        """Enter in a field (a scanner's last key) saves and moves on at once.

        A priority binding, so the move happens before any key typed after Enter is read:
        otherwise Textual would deliver those keys to the field being left.
        """
        if not isinstance(self.focused, Input):
            raise SkipAction()  # a switch, checkbox or the text box handles its own Enter
        self.save_now()
        self.focus_next()

    def _sync_proof(self) -> None:
        proof = self.query_one("#proof_of_purchase", Switch).value
        self.query_one("#purchase_date", Input).disabled = not proof
        # The switch's state in words: colour alone does not tell a newcomer (or NO_COLOR) which is on.
        self.query_one("#proof-words", Static).update(
            _("YES: the purchase date starts the warranty")
            if proof
            else _("NO: the manufacturing date starts the warranty")
        )

    def leave(self) -> Callable[[], bool] | None:
        self.keep_input()
        problems = self.flow.intake_problems()
        box = self.query_one("#intake-problems", Static)
        box.update("\n".join(_problem_words(p) for p in problems))
        if problems:
            first = problems[0]
            target = self.query(f"#{first.field}")
            if target:
                target.first().focus()
            self.problem(_problem_words(first))
            return None
        return super().leave()


def _row(key: str, widget: Input) -> ComposeResult:
    with Horizontal(classes="row"):
        name = field_name(key)
        yield Label(name[:1].upper() + name[1:], classes="field-label")  # "Capacity (GB)", not "(gb)"
        yield widget


def _problem_words(problem: FieldProblem) -> str:
    """What stops the form, naming the field: `str(problem)` in the session's language."""
    return _("{name}: {problem}").format(name=field_name(problem.field), problem=words(problem.problem))
