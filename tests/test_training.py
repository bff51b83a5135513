"""The training bench is a world of its own (issue 13, 1): practice claims read recorded drives
into their own database, under the station id TRAIN; their readouts say they are recordings,
their tickets say TRAINING and never verify as genuine; every screen says TRAINING at 80x24."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from tests.after_helpers import NV7000_FIGURES, decided_claim
from tests.tui_helpers import SIZE, new_claim, screen_text, wait_for
from workbench.screens.home import HomeScreen
from workbench.ticket.issue import verify_ticket


async def test_every_screen_says_training_at_80x24(bench):
    app = bench(training=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "TRAINING BENCH — practice only (TRAIN) · ana" in screen_text(app).splitlines()[0]
        await new_claim(pilot)
        assert "TRAINING BENCH — practice only (TRAIN) · ana" in screen_text(app).splitlines()[0]


def test_a_practice_claim_stays_in_the_training_world(bench, tmp_path):
    real = bench(station_lines=NV7000_FIGURES).station
    training = bench(training=True).station
    flow = decided_claim(training)
    assert flow.number.startswith("TRAIN-2026-")
    snapshot = training.case(flow.number).snapshots[-1]
    assert snapshot.readout["recording"].startswith("training bench: recorded smartctl output")
    outcome = training.reprint(flow.number)
    assert any("TRAINING, not a real case" in line for line in outcome.content.lines)

    # None of it is in the station's records, its lists, its reports or its exports.
    assert real.store.list_cases() == [] and real.find(flow.number) == []
    with sqlite3.connect(tmp_path / "cases.db") as db:
        assert db.execute("SELECT count(*) FROM case_record").fetchone() == (0,)
    assert (tmp_path / "training-cases.db").exists()

    # Its ticket is never genuine: at the station, and even on the training bench itself.
    at_station = verify_ticket(outcome.qr_text, real.config, real.store)
    assert (at_station.status, at_station.verdict_word, at_station.genuine) == ("training", "NOT GENUINE", False)
    assert verify_ticket(outcome.qr_text, training.config, training.store).status == "training"
    env = {**os.environ, "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "ticket", "verify", outcome.qr_text],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout.startswith("NOT GENUINE: a TRAINING ticket from the practice bench")


def test_no_real_station_may_call_itself_train(tmp_path, monkeypatch):
    import pytest

    from workbench.config import ConfigError, load_config

    config = tmp_path / "workbench.toml"
    config.write_text('[station]\nid = "train"\n')
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    with pytest.raises(ConfigError, match="station.id.*training bench's own id"):
        load_config()


def test_a_resumed_practice_claim_keeps_its_reading(bench):
    """The training bench's evidence carries a note ("recording") beside the readout's fields: a
    claim resumed in a new session still has its reading (the SMART step shows it)."""
    training = bench(training=True).station
    flow = decided_claim(training)
    resumed = training.resume(flow.number)
    readout = resumed.latest_readout()
    assert readout is not None and readout.serial == flow.claim.drive.serial
