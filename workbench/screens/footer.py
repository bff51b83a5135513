"""The keys line at the foot of every screen, in the session's language, drawn again only when its
keys change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from workbench.words.language import N_, _, language

# Textual's own key for the command palette (App.COMMAND_PALETTE_BINDING, "palette"): its word
# is in no Binding of ours, so it is marked here for the catalog; compose() says it as it says ours.
N_("palette")
# The keys Textual names in lower-case English words: said as the counter's keyboard names them.
KEY_NAMES = frozenset((N_("esc"), N_("enter"), N_("tab"), N_("space"), N_("backspace"), N_("delete")))


class KeysFooter(Footer):
    """Textual's Footer rebuilds its keys on every focus change (each Tab), and so repaints
    its whole line over SSH; the keys shown change far less often than the focus does."""

    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def compose(self) -> ComposeResult:
        # A binding's description is the catalog's English (Binding(key, action, "Back")), fixed
        # when its class is defined; it is said in the session's language as the key is drawn.
        # Textual 8.2.8 gives FooterKey no other way in (tests/test_language_switch.py keeps watch).
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.description = _(widget.description)
                if widget.key_display in KEY_NAMES:
                    widget.key_display = _(widget.key_display)
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        shown = tuple(
            (binding.key, f"{language()}:{binding.description}", enabled)
            for (_, binding, enabled, _) in screen.active_bindings.values()
            if binding.show
        )
        if shown == self._shown and screen.app.app_focus:
            return
        if screen.app.app_focus:
            self._shown = shown
        super().bindings_changed(screen)
