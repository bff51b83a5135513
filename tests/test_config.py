from pathlib import Path

import pytest

from workbench.config import load_config
from workbench.errors import ConfigError


@pytest.fixture(autouse=True)
def no_ambient_config(monkeypatch, tmp_path):
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


def test_file_named_by_environment_wins(tmp_path, monkeypatch):
    path = write(tmp_path, '[station]\nid = "sz01"\nsupervisors = ["mei"]\n[printer]\nkind = "cups"\n')
    monkeypatch.setenv("WORKBENCH_CONFIG", str(path))
    config = load_config()
    assert config.station_id == "SZ01"
    assert config.is_supervisor("mei") and not config.is_supervisor("tom")
    assert config.section("printer").get("kind", str, "none") == "cups"


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
