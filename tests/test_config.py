from pathlib import Path

import pytest

import workbench.config
from workbench.config import load_config, read_config, untrusted
from workbench.errors import ConfigError


@pytest.fixture(autouse=True)
def no_ambient_config(monkeypatch, tmp_path):
    monkeypatch.setattr(workbench.config, "SYSTEM_CONFIG", tmp_path / "etc" / "workbench.toml")  # none
    monkeypatch.delenv("WORKBENCH_CONFIG", raising=False)
    monkeypatch.delenv("WORKBENCH_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "workbench.toml"
    path.write_text(text)
    return path


def test_defaults_put_the_database_in_the_user_data_dir(tmp_path):
    config = load_config(None)
    assert config.station_id == "LOCAL"
    assert config.database_url == f"sqlite:///{tmp_path / 'data' / 'netac-workbench' / 'cases.db'}"


def test_the_stations_file_names_supervisors(tmp_path):
    config = load_config(write(tmp_path, '[station]\nid = "sz01"\nsupervisors = ["mei"]\n[printer]\nkind = "cups"\n'))
    assert config.station_id == "SZ01"
    assert config.is_supervisor("mei") and not config.is_supervisor("tom")
    assert config.section("printer").get("kind", str, "none") == "cups"
    assert config.ignored == ()


USERS_FILE = """[station]
name = "Bo's desk"
supervisors = ["bo"]
supervisor_group = "bo-friends"
[printer]
kind = "cups"
[policy]
file = "my-policy.toml"
public_key = "mine"
[ticket.trusted_keys]
XX01 = "abc"
"""


def test_a_users_file_sets_all_but_authority_over_the_stations(tmp_path, monkeypatch, capsys):
    """F5: $WORKBENCH_CONFIG naming themself supervisor (or trusting keys, or a policy of their
    own) gives a technician nothing of it; what is not authority is theirs to set."""
    (tmp_path / "station").mkdir()
    station = tmp_path / "station" / "workbench.toml"
    station.write_text('[station]\nid = "SZ01"\nsupervisors = ["mei"]\n[database]\nurl = "sqlite:///s.db"\n')
    mine = tmp_path / "mine.toml"
    mine.write_text(USERS_FILE)
    monkeypatch.setenv("WORKBENCH_CONFIG", str(mine))
    config = load_config(station)
    assert (config.station_id, config.station_name, config.database_url) == ("SZ01", "Bo's desk", "sqlite:///s.db")
    assert config.section("printer").get("kind", str, "none") == "cups"
    assert config.supervisors == ("mei",) and config.supervisor_group == "netac-supervisors"
    assert not config.is_supervisor("bo") and config.section("policy").table == {}
    assert config.section("ticket").get("trusted_keys", dict, {}) == {}
    assert config.policy_target() == station.with_name("station-policy.toml")  # beside the station's file
    assert (config.origins["station.name"], config.origins["station.supervisors"]) == (mine, station)
    line = (
        f"{mine}: [station] supervisors, [station] supervisor_group, [policy] file, [policy] public_key, "
        f"[ticket] trusted_keys ignored: authority comes only from the station's own file {station}"
    )
    assert config.ignored == (line,)
    assert capsys.readouterr().err == f"workbench: {line}\n"  # said once, on one line


def test_without_a_station_file_authority_is_the_embedded_defaults(tmp_path, monkeypatch):
    """A single-user bench: its user's file (here in the config folder) still names no supervisor,
    and the station's copy of the policy is looked for in the data folder, not beside that file."""
    mine = tmp_path / "config" / "netac-workbench" / "workbench.toml"
    mine.parent.mkdir(parents=True)
    mine.write_text(USERS_FILE)
    mine.with_name("my-policy.toml").write_text("not read")
    mine.with_name("station-policy.toml").write_text("not read")
    config = read_config()
    assert (config.station_file, config.authority_file, config.user_file) == (None, None, mine)
    assert config.supervisors == () and config.supervisor_group == "netac-supervisors"
    assert config.policy_target() == tmp_path / "data" / "netac-workbench" / "station-policy.toml"
    assert config.policy_file() is None and config.section("printer").get("kind", str, "") == "cups"
    assert len(config.ignored) == 1 and config.ignored[0].startswith(f"{mine}: [station] supervisors, ")


def test_the_station_file_named_again_by_the_environment_is_read_once(tmp_path, monkeypatch):
    path = write(tmp_path, '[station]\nid = "SZ01"\nsupervisors = ["mei"]\n')
    monkeypatch.setenv("WORKBENCH_CONFIG", str(path))
    config = read_config(path)
    assert (config.supervisors, config.user_file, config.ignored) == (("mei",), None, ())


def test_a_station_file_others_may_write_grants_no_authority(tmp_path, monkeypatch):
    """The file at /etc is the station's only while root alone can change it (the real file,
    with real owners: tests/test_authority_users.py)."""
    station = tmp_path / "etc" / "workbench.toml"
    station.parent.mkdir()
    station.write_text('[station]\nid = "SZ01"\nsupervisors = ["mei"]\n[printer]\nkind = "cups"\n')
    station.chmod(0o664)
    problem = untrusted(station)
    assert problem is not None and problem.startswith(f"{station} ")
    assert problem.endswith(("is writable by the group root (mode 0664)", "not root"))
    config = read_config()
    assert config.station_file == station and config.authority_file is None
    assert config.supervisors == () and config.section("printer").get("kind", str, "") == "cups"
    assert config.ignored == (
        f"{station} grants no authority ([station] supervisors ignored): {problem}; only root may be able "
        "to change it (chown root:root, chmod go-w)",
    )


def test_database_url_from_environment_overrides_file(tmp_path, monkeypatch):
    path = write(tmp_path, '[database]\nurl = "sqlite:///a.db"\n')
    monkeypatch.setenv("WORKBENCH_DATABASE_URL", "postgresql://central/cases")
    assert load_config(path).database_url == "postgresql://central/cases"


@pytest.mark.parametrize(
    "text, field",
    [
        ('[station]\nid = "S"\n', "station.id"),
        ("[station]\nid = 12\n", "station.id"),
        ('[station]\nsupervisors = "mei"\n', "station.supervisors"),
        ("[station\n", "workbench.toml"),
        ("station = 3\n", "station"),
    ],
)
def test_bad_values_name_the_field(tmp_path, text, field):
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert field in str(caught.value)


def test_missing_named_file_is_reported(monkeypatch, tmp_path):
    monkeypatch.setenv("WORKBENCH_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError, match="WORKBENCH_CONFIG"):
        load_config()


def test_bool_is_not_a_number(tmp_path):
    config = load_config(write(tmp_path, "[smart]\ntimeout = true\n"))
    with pytest.raises(ConfigError, match="smart.timeout"):
        config.section("smart").get("timeout", int, 30)
