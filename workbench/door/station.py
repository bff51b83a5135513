"""The station as the counter sees it, what it is: its configuration, its case records, its policy
in force, and who is acting at the counter (a technician, or a supervisor)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from policy import Policy
from workbench.config import StationConfig
from workbench.errors import WorkbenchError
from workbench.words.language import _

if TYPE_CHECKING:
    from db.store import CaseStore


class StationCore:
    """The station itself: its configuration, its records, its policy, and who is acting."""

    def __init__(
        self, config: StationConfig, *, training: bool = False, read_only: bool = False, replay: str | None = None
    ) -> None:
        # The training bench is a world of its own: recorded drives, its own database, station
        # id and ticket key (StationConfig.training), so no practice claim mixes with real ones.
        self.config = config.training() if training else config
        self.training = training
        self.replay = replay  # a folder of recorded smartctl output to read drives from (`--replay`)
        self.read_only = read_only  # a command that only reads: a file the user may only read will do
        self._store: CaseStore | None = None
        self._store_lock = threading.Lock()
        self._policy: Policy | None = None

    @property
    def store(self) -> CaseStore:
        """The case records, opened (and created or upgraded) by whichever thread needs them first."""
        with self._store_lock:
            if self._store is None:
                from db import open_station_store

                self._store = open_station_store(self.config, read_only=self.read_only)
            return self._store

    @property
    def policy(self) -> Policy:
        if self._policy is None:
            self._policy = self.config.load_policy()
        return self._policy

    @property
    def technician(self) -> str:
        return self.config.technician

    @property
    def configuration_warnings(self) -> tuple[str, ...]:
        """One line for each file whose authority settings were ignored (a user's file naming
        supervisors, a station file others may write), for the home screen."""
        return self.config.ignored

    @property
    def is_supervisor(self) -> bool:
        """Whether this session's own login is a supervisor's (never a name picked on screen)."""
        return self.config.acting_supervisor

    def require_supervisor(self, action: str) -> None:
        """`action`: what only a supervisor may do, in English marked for the catalog (N_)."""
        if not self.is_supervisor:
            raise NotASupervisor(self.technician, action)

    def replica_notice(self) -> str:
        """One line for the home screen on the station's replica: when it last took a commit, or
        that it is behind, failing or not running; "" on a station without one (and in training,
        whose cases are no station's records). Reads a file: call from a worker."""
        from workbench.replica import replica_state

        state = replica_state(self.config)
        return state.line if state is not None else ""

    def title(self) -> str:
        """Who and where, for the screen's header (the training bench says so in its title)."""
        where = _("practice only") if self.training else self.config.station_name
        return f"{where} ({self.config.station_id}) · {self.config.technician}"


class NotASupervisor(WorkbenchError):
    """The acting login may not do what only a supervisor may."""

    def __init__(self, technician: str, action: str) -> None:
        super().__init__(
            _(
                "{action}: only a supervisor may do this, and {technician} is not one "
                "(the station's [station] supervisors or the netac-supervisors group); "
                "ask a supervisor, or request a review with your reason"
            ).format(action=_(action), technician=technician)
        )
