"""The policy screen (read-only) and the home screen's word on unsourced figures, at 80x24."""

from __future__ import annotations

from tests.test_tui_snapshots import to_home
from tests.tui_helpers import SIZE, screen_text, wait_for
from workbench.screens.policy import PolicyScreen

SOURCE = "Netac warranty table, received by e-mail 2026-11-20"
FIGURES = f"""
[figures.NV7000]
2000 = {{ tbw_tb = 1400, warranty_years = 5, source = "{SOURCE}" }}
"""


def words(text: str) -> str:
    return " ".join(text.split())


async def to_policy(pilot):
    await to_home(pilot)
    await pilot.press("p")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PolicyScreen))
    await wait_for(pilot, lambda: "sha256" in screen_text(pilot.app))


async def test_the_bundled_policy_tells_the_manager_what_goes_to_review_and_how_to_fix_it(bench):
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await to_home(pilot)
        await wait_for(pilot, lambda: "27 products lack a sourced TBW or warranty" in screen_text(app))
        await to_policy(pilot)
        shown = screen_text(app)
        assert "Policy netac-warranty 2024.1, file bundled with the workbench" in shown
        assert "NV2000        256         -     -  UNSOURCED: tbw_tb, warranty_years" in shown
        await pilot.press("end")
        await wait_for(pilot, lambda: "workbench policy import FILE.csv" in words(screen_text(app)))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, PolicyScreen))


async def test_a_station_copy_with_a_sourced_figure_shows_it_with_its_source(bench):
    app = bench(FIGURES)
    async with app.run_test(size=SIZE) as pilot:
        await to_home(pilot)
        await wait_for(pilot, lambda: "26 products lack a sourced TBW or warranty" in screen_text(app))
        await to_policy(pilot)
        await pilot.press("end")
        # The line wraps at 80 columns: compare words.
        await wait_for(pilot, lambda: f"NV7000 2000 1400 5 {SOURCE}" in words(screen_text(app)))
        await pilot.press("home")
        # The station's file is named by its whole path, which is the test's temporary folder:
        # longer than 80 columns on an xdist worker (.../popen-gw0/...), so it folds mid-name.
        await wait_for(pilot, lambda: "policy.toml,sha256" in "".join(screen_text(app).split()))


async def test_a_supervisor_enters_the_missing_figures_from_the_decision_screen(bench, monkeypatch):
    import sqlite3

    import workbench.config
    from tests.test_tui_snapshots import to_decision_nothing_found
    from workbench.screens.figure import FigureDialog

    monkeypatch.setattr(workbench.config, "login_user", lambda: "chen")  # one of the station's supervisors
    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await to_decision_nothing_found(pilot)
        await wait_for(pilot, lambda: "NEEDS REVIEW" in screen_text(app))
        assert "No sourced warranty years or TBW for this product" in words(screen_text(app))
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FigureDialog))
        await pilot.press(*"1400", "tab", *"5", "tab", *SOURCE, "ctrl+s")
        await wait_for(pilot, lambda: "COVERED: repair or replace" in screen_text(app))
        assert "No sourced" not in screen_text(app)
        assert app.station.policy.catalog.lookup("NV7000", 2000).figure_source == SOURCE
    [db] = [p for p in app.station.config.policy_target().parent.rglob("cases.db")]
    actions = sqlite3.connect(db).execute("select actor from audit_entry where action = 'policy_changed'").fetchall()
    assert actions == [("chen",)]


async def test_a_technician_is_told_a_supervisor_enters_the_figure(bench):
    from tests.test_tui_snapshots import to_decision_nothing_found
    from workbench.screens.figure import FigureDialog

    app = bench()
    async with app.run_test(size=SIZE) as pilot:
        await to_decision_nothing_found(pilot)
        await wait_for(pilot, lambda: "a supervisor enters them (f)" in words(screen_text(app)))
        await pilot.press("f")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, FigureDialog)
        assert not app.station.config.policy_target().exists()
