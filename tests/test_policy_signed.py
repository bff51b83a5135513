"""A chain's policy, signed by its head office: keygen, sign, and a station that refuses
an unsigned or altered file and keeps deciding with its last good one (subprocesses)."""

from __future__ import annotations

import base64
import json
import re

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from policy import bundled_bytes
from policy.signature import (
    PREFIX,
    PolicyRollbackError,
    PolicySignatureError,
    private_key_from_pem,
    refuse_rollback,
    sign_policy,
    split_signature,
    stamped_issues,
    verify_policy,
)
from tests.test_policy_cli import CLAIM, SOURCE, TABLE, station, workbench, write  # noqa: F401

HEAD_OFFICE = Ed25519PrivateKey.generate()


def test_a_signed_file_verifies_and_is_still_the_same_policy_file_with_its_issue():
    signed = sign_policy(bundled_bytes(), HEAD_OFFICE, 3)
    assert verify_policy(signed, HEAD_OFFICE.public_key(), "signed.toml") == 3
    body, signature = split_signature(signed)
    assert body == bundled_bytes() + b"# issue: 3\n" and signature is not None
    assert sign_policy(signed, HEAD_OFFICE, 3) == signed  # signing again replaces the lines, adds none
    again = sign_policy(signed, HEAD_OFFICE, 4)
    assert verify_policy(again, HEAD_OFFICE.public_key(), "signed.toml") == 4
    assert again.count(b"# issue:") == 1 and again.count(PREFIX) == 1
    # Edited since signing, with the old lines left mid-file: signing drops them.
    edited = signed + b"\n[figures.NV7000]\n"
    assert stamped_issues(edited) == [3]
    assert sign_policy(edited, HEAD_OFFICE, 4).count(b"# issue:") == 1


def test_a_file_signed_before_issue_numbers_is_issue_0():
    assert verify_policy(_unnumbered(bundled_bytes()), HEAD_OFFICE.public_key(), "old.toml") == 0


def _unnumbered(body: bytes, key: Ed25519PrivateKey = HEAD_OFFICE) -> bytes:
    """A file as `workbench policy sign` wrote it before issue numbers: no `# issue:` line."""
    return body + PREFIX + base64.b64encode(key.sign(body)) + b"\n"


@pytest.mark.parametrize(
    "damage, words",
    [
        (lambda raw: raw, "not signed"),
        (
            lambda raw: sign_policy(raw, HEAD_OFFICE, 2).replace(b'version = "2024.1"', b'version = "2024.2"'),
            "does not match",
        ),
        (lambda raw: sign_policy(raw, HEAD_OFFICE, 2).replace(b"# issue: 2", b"# issue: 9"), "does not match"),
        (lambda raw: sign_policy(raw, Ed25519PrivateKey.generate(), 2), "does not match"),
        (lambda raw: sign_policy(raw, HEAD_OFFICE, 2).replace(b"\n", b"\r\n"), "does not match"),
        (lambda raw: sign_policy(raw, HEAD_OFFICE, 2) + b"# a line after\n", "not signed"),
        (lambda raw: _doubled_signature(sign_policy(raw, HEAD_OFFICE, 2)), "does not match"),
        (lambda raw: raw + b"# signature: ed25519 not-base64!\n", "not base64"),
        (lambda raw: raw + b"# signature: ed25519 AAAA\n", "not base64"),
    ],
)
def test_unsigned_altered_or_foreign_files_are_refused_in_one_line(damage, words):
    with pytest.raises(PolicySignatureError) as refused:
        verify_policy(damage(bundled_bytes()), HEAD_OFFICE.public_key(), "station-policy.toml")
    assert words in str(refused.value) and "station-policy.toml" in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_lower_issue_than_the_last_good_copys_is_refused_naming_both():
    refuse_rollback(3, "policy.toml", 3, "policy.toml.last-good")  # the same issue: signed again
    refuse_rollback(4, "policy.toml", 3, "policy.toml.last-good")
    with pytest.raises(PolicyRollbackError) as refused:
        refuse_rollback(0, "policy.toml", 3, "policy.toml.last-good")
    assert str(refused.value).startswith(
        "policy.toml: issue 0 is older than the last good copy's issue 3 (policy.toml.last-good)"
    )


def _doubled_signature(signed: bytes) -> bytes:
    return signed + signed.splitlines(keepends=True)[-1]


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
    no_issue = workbench(env, "policy", "sign", str(tmp_path / "p.toml"), "--key", str(key), "--issue", "0")
    assert no_issue.returncode == 2 and "--issue: '0' is not a whole number from 1" in no_issue.stderr
    for result in (again, not_a_key, broken):
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    bad_key = tmp_path / "c.toml"
    bad_key.write_text('[policy]\npublic_key = "nope"\n')
    bad = workbench({**env, "WORKBENCH_CONFIG": str(bad_key)}, "policy", "show")
    assert bad.returncode != 0 and "public_key" in bad.stderr and "Traceback" not in bad.stderr


@pytest.fixture
def chain(station):  # noqa: F811
    """The head office's key and a station configured with it (`[policy] file = "policy.toml"`):
    (tmp_path, the head office's env, the station's env, head office key file, station folder)."""
    tmp_path, env = station
    made = workbench(env, "policy", "keygen", str(tmp_path / "head-office.pem"))
    assert made.returncode == 0, made.stderr
    public_key = re.search(r'public_key = "([^"]+)"', made.stdout).group(1)
    folder = tmp_path / "station"
    folder.mkdir()
    config = folder / "workbench.toml"
    config.write_text(f'[policy]\nfile = "policy.toml"\npublic_key = "{public_key}"\n')
    return tmp_path, env, {**env, "WORKBENCH_CONFIG": str(config)}, tmp_path / "head-office.pem", folder


def _issue(head_office_env, key, table, output, *issue):
    """The head office enters `table` into its chain file, signs it there (as docs/policy.md says)
    and sends a copy, `output`; sign's words."""
    env = head_office_env
    chain_file = key.parent / "chain-policy.toml"
    imported = workbench(env, "policy", "import", write(key.parent / "netac.csv", table), "--output", str(chain_file))
    assert imported.returncode == 0, imported.stderr
    signed = workbench(env, "policy", "sign", str(chain_file), "--key", str(key), *issue)
    assert signed.returncode == 0, signed.stderr
    output.write_bytes(chain_file.read_bytes())
    return signed.stdout


def test_an_older_signed_file_copied_or_linked_over_the_newer_one_is_refused(chain):
    tmp_path, office, env, key, folder = chain
    head_office = tmp_path / "head-office"
    head_office.mkdir()
    # Issue 1: five years (covered); issue 2, Netac's corrected table: one year (expired).
    assert "issue 1" in _issue(office, key, TABLE, head_office / "issue-1.toml")
    assert "issue 2" in _issue(office, key, TABLE.replace("1400,5", "1400,1"), head_office / "issue-2.toml")
    # Imported into again after issue 1, the chain file is signed clean: one issue, one signature.
    assert stamped_issues((head_office / "issue-2.toml").read_bytes()) == [2]
    assert (head_office / "issue-2.toml").read_bytes().count(PREFIX) == 1
    station_file, last_good = folder / "policy.toml", folder / "policy.toml.last-good"
    station_file.write_bytes((head_office / "issue-2.toml").read_bytes())
    decided = _assess(env)
    assert decided.returncode == 0 and decided.stderr == ""
    assert json.loads(decided.stdout)["verdict"] == "not_covered"
    assert last_good.read_bytes() == station_file.read_bytes()
    assert ", issue 2, sha256" in workbench(env, "policy", "show").stdout
    checked = workbench(env, "policy", "check", str(station_file))
    assert checked.returncode == 0 and "good: netac-warranty 2024.1, signed, issue 2" in checked.stdout

    for roll_back in ("copy", "symlink"):
        station_file.unlink()
        if roll_back == "copy":
            station_file.write_bytes((head_office / "issue-1.toml").read_bytes())
        else:
            station_file.symlink_to(head_office / "issue-1.toml")
        kept = _assess(env)
        assert kept.returncode == 0 and json.loads(kept.stdout)["verdict"] == "not_covered", roll_back
        assert kept.stderr.count("\n") == 1 and "Traceback" not in kept.stderr
        assert f"{station_file}: issue 1 is older than the last good copy's issue 2 ({last_good})" in kept.stderr
        assert "deciding under the last good copy" in kept.stderr
        assert last_good.read_bytes() == (head_office / "issue-2.toml").read_bytes()
        assert not last_good.is_symlink()
        check = workbench(env, "policy", "check", str(station_file))
        assert check.returncode == 2 and "issue 1 is older than the last good copy's issue 2" in check.stderr
        shown = workbench(env, "policy", "show").stdout
        assert "REFUSED" in shown and "issue 1 is older" in shown and ", issue 2, sha256" in shown

    # A newer issue is taken and becomes the last good copy.
    station_file.unlink()
    _issue(office, key, TABLE, head_office / "issue-9.toml", "--issue", "9")
    station_file.write_bytes((head_office / "issue-9.toml").read_bytes())
    decided = _assess(env)
    assert decided.stderr == "" and json.loads(decided.stdout)["verdict"] == "covered"
    assert last_good.read_bytes() == station_file.read_bytes()


def test_a_symlinked_last_good_copy_is_not_taken_for_one(chain):
    tmp_path, office, env, key, folder = chain
    _issue(office, key, TABLE, tmp_path / "issue-1.toml")
    station_file, last_good = folder / "policy.toml", folder / "policy.toml.last-good"
    station_file.write_bytes(bundled_bytes())  # unsigned
    last_good.symlink_to(tmp_path / "issue-1.toml")
    refused = _assess(env)
    assert refused.returncode != 0 and "not signed" in refused.stderr and "no good signed copy" in refused.stderr
    # Signed, the file is taken, and a file of the station's own replaces the link.
    station_file.write_bytes((tmp_path / "issue-1.toml").read_bytes())
    assert _assess(env).returncode == 0
    assert not last_good.is_symlink() and last_good.read_bytes() == station_file.read_bytes()


def test_a_removed_station_copy_leaves_the_last_good_one_deciding_with_a_warning(chain):
    from workbench.config import load_config
    from workbench.door.case_flow import Station

    tmp_path, office, env, key, folder = chain
    _issue(office, key, TABLE, folder / "policy.toml")
    assert _assess(env).stderr == ""
    (folder / "policy.toml").unlink()
    kept = _assess(env)
    assert kept.returncode == 0 and json.loads(kept.stdout)["verdict"] == "covered"
    assert kept.stderr.startswith(
        f"workbench assess: {folder / 'policy.toml'}: no such file; deciding under the last good copy "
        f"{folder / 'policy.toml.last-good'} (issue 1, sha256 "
    )
    assert kept.stderr.count("\n") == 1
    # The TUI's home screen says it too (the words `p` then shows in full).
    counter = Station(load_config(folder / "workbench.toml"))
    assert counter.policy_notice() == "Policy file REFUSED or missing, the last good copy decides: p shows why."
    assert "no such file" in counter.policy.notice


def test_a_chains_station_never_decides_under_the_bundled_unsigned_policy(chain):
    tmp_path, _, env, _, folder = chain
    (folder / "workbench.toml").write_text(
        (folder / "workbench.toml").read_text().replace('file = "policy.toml"\n', "")
    )
    refused = _assess(env)
    assert refused.returncode != 0 and refused.stdout == ""
    target = folder / "station-policy.toml"
    assert f"{target}: no such file; and no good signed copy to keep deciding with ({target.name}.last-good): " in (
        refused.stderr
    )
    assert "put the head office's signed policy file there" in refused.stderr
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    shown = workbench(env, "policy", "show")
    assert shown.returncode != 0 and "no good signed copy" in shown.stderr


def test_files_signed_before_issue_numbers_are_taken_until_a_numbered_one_is(chain):
    from workbench.config import load_config

    tmp_path, office, env, key, folder = chain
    station_file = folder / "policy.toml"
    station_file.write_bytes(_unnumbered(bundled_bytes(), private_key_from_pem(key.read_bytes(), str(key))))
    config = load_config(folder / "workbench.toml")
    assert config.load_policy().issue == 0 and config.load_policy().notice == ""
    _issue(office, key, TABLE, tmp_path / "issue-1.toml")
    station_file.write_bytes((tmp_path / "issue-1.toml").read_bytes())
    assert config.load_policy().issue == 1
    station_file.write_bytes(_unnumbered(bundled_bytes(), private_key_from_pem(key.read_bytes(), str(key))))
    policy = config.load_policy()
    assert policy.issue == 1 and "issue 0 is older than the last good copy's issue 1" in policy.notice
