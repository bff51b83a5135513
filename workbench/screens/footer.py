"""The keys line at the foot of every screen, drawn again only when its keys change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """Textual's Footer rebuilds its keys on every focus change (each Tab), and so repaints
    its whole line over SSH; the keys shown change far less often than the focus does."""

    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        shown = tuple(
            (binding.key, binding.description, enabled)
            for (_, binding, enabled, _) in screen.active_bindings.values()
            if binding.show
        )
        if shown == self._shown and screen.app.app_focus:
            return
        if screen.app.app_focus:
            self._shown = shown
        super().bindings_changed(screen)
