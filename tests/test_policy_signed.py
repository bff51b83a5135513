"""A chain's policy, signed by its head office: keygen, sign, and a station that refuses
an unsigned or altered file and keeps deciding with its last good one (subprocesses)."""

from __future__ import annotations

import json
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from policy import bundled_bytes
from policy.signature import PolicySignatureError, sign_policy, split_signature, verify_policy
from tests.test_policy_cli import CLAIM, SOURCE, TABLE, station, workbench, write  # noqa: F401

HEAD_OFFICE = Ed25519PrivateKey.generate()


def test_a_signed_file_verifies_and_is_still_the_same_policy_file():
    signed = sign_policy(bundled_bytes(), HEAD_OFFICE)
    verify_policy(signed, HEAD_OFFICE.public_key(), "signed.toml")
    body, signature = split_signature(signed)
    assert body == bundled_bytes() and signature is not None
    assert sign_policy(signed, HEAD_OFFICE) == signed  # signing again replaces the line, adds none


@pytest.mark.parametrize(
    "damage, words",
    [
        (lambda raw: raw, "not signed"),
        (
            lambda raw: sign_policy(raw, HEAD_OFFICE).replace(b'version = "2024.1"', b'version = "2024.2"'),
            "does not match",
        ),
        (lambda raw: sign_policy(raw, Ed25519PrivateKey.generate()), "does not match"),
        (lambda raw: raw + b"# signature: ed25519 not-base64!\n", "not base64"),
        (lambda raw: raw + b"# signature: ed25519 AAAA\n", "not base64"),
    ],
)
def test_unsigned_altered_or_foreign_files_are_refused_in_one_line(damage, words):
    with pytest.raises(PolicySignatureError) as refused:
        verify_policy(damage(bundled_bytes()), HEAD_OFFICE.public_key(), "station-policy.toml")
    assert words in str(refused.value) and "station-policy.toml" in str(refused.value)
    assert "\n" not in str(refused.value)


def _assess(env):
    return workbench(env, "assess", "-", stdin=json.dumps(CLAIM))


def test_a_chains_station_decides_only_under_the_head_offices_signed_file(station):  # noqa: F811
    tmp_path, env = station
    # Head office: its key, Netac's table in a policy file, signed.
    made = workbench(env, "policy", "keygen", str(tmp_path / "head-office.pem"))
    assert made.returncode == 0, made.stderr
    public_key = re.search(r'public_key = "([^"]+)"', made.stdout).group(1)
    assert (tmp_path / "head-office.pem").stat().st_mode & 0o077 == 0
    chain_file = tmp_path / "chain-policy.toml"
    imported = workbench(env, "policy", "import", write(tmp_path / "netac.csv", TABLE), "--output", str(chain_file))
    assert imported.returncode == 0, imported.stderr
    signed = workbench(env, "policy", "sign", str(chain_file), "--key", str(tmp_path / "head-office.pem"))
    assert signed.returncode == 0, signed.stderr
    # The station: configured with the head office's public key and the chain's file.
    station_file = tmp_path / "station" / "policy.toml"
    station_file.parent.mkdir()
    station_file.write_bytes(chain_file.read_bytes())
    config = tmp_path / "station" / "workbench.toml"
    config.write_text(f'[policy]\nfile = "policy.toml"\npublic_key = "{public_key}"\n')
    env = {**env, "WORKBENCH_CONFIG": str(config)}
    decided = _assess(env)
    assert decided.returncode == 0 and decided.stderr == ""
    assert json.loads(decided.stdout)["verdict"] == "covered"
    assert (tmp_path / "station" / "policy.toml.last-good").read_bytes() == station_file.read_bytes()
    assert workbench(env, "policy", "check", str(station_file)).returncode == 0

    # Importing a table straight into a signed station's copy is refused up front.
    direct = workbench(env, "policy", "import", str(tmp_path / "netac.csv"))
    assert direct.returncode != 0 and "signed policy" in direct.stderr and direct.stderr.count("\n") == 1
    assert json.loads(_assess(env).stdout)["verdict"] == "covered"

    # Someone raises a TBW in the station's file: refused in one line, the last good file decides.
    station_file.write_bytes(station_file.read_bytes().replace(b"tbw_tb = 1400", b"tbw_tb = 9400"))
    kept = _assess(env)
    assert kept.returncode == 0
    assert json.loads(kept.stdout)["tbw"]["limit_bytes"] == 1400 * 10**12
    assert kept.stderr.count("\n") == 1 and "does not match" in kept.stderr and "last good copy" in kept.stderr
    check = workbench(env, "policy", "check", str(station_file))
    assert check.returncode == 2 and "does not match" in check.stderr and "Traceback" not in check.stderr
    assert "REFUSED" in workbench(env, "policy", "show").stdout

    # No good copy left and an unsigned file: the station refuses to decide, in one line.
    (tmp_path / "station" / "policy.toml.last-good").unlink()
    station_file.write_bytes(bundled_bytes())
    refused = _assess(env)
    assert refused.returncode != 0 and refused.stdout == ""
    assert "not signed" in refused.stderr and "no good signed copy" in refused.stderr
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr


def test_sign_and_keygen_refuse_bad_input_in_one_line(station):  # noqa: F811
    tmp_path, env = station
    key = tmp_path / "k.pem"
    assert workbench(env, "policy", "keygen", str(key)).returncode == 0
    again = workbench(env, "policy", "keygen", str(key))
    assert again.returncode != 0 and "KEYFILE" in again.stderr and "exists" in again.stderr
    not_a_key = workbench(
        env,
        "policy",
        "sign",
        write(tmp_path / "p.toml", bundled_bytes().decode()),
        "--key",
        write(tmp_path / "x.pem", "hello"),
    )
    assert not_a_key.returncode == 2 and "not an unencrypted PEM private key" in not_a_key.stderr
    broken = workbench(env, "policy", "sign", write(tmp_path / "b.toml", "[policy]\nid = 1\n"), "--key", str(key))
    assert broken.returncode == 2 and "b.toml" in broken.stderr
    for result in (again, not_a_key, broken):
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    bad_key = tmp_path / "c.toml"
    bad_key.write_text('[policy]\npublic_key = "nope"\n')
    bad = workbench({**env, "WORKBENCH_CONFIG": str(bad_key)}, "policy", "show")
    assert bad.returncode != 0 and "public_key" in bad.stderr and "Traceback" not in bad.stderr
