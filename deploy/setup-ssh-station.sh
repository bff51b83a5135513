#!/usr/bin/env bash
# Set up a bench PC so that technicians reach the workbench over SSH and nothing else.
#
#   setup-ssh-station.sh install [--workbench PATH] [--group NAME]
#       Run as root; safe to run again. Installs the workbench for all users (a venv in
#       /opt/netac-workbench built from this checkout, linked as /usr/local/bin/workbench)
#       unless --workbench names one every user can run; creates the group; prepares the
#       shared case database; writes /etc/ssh/sshd_config.d/netac-workbench.conf, checks the
#       whole sshd configuration with `sshd -t` and only then reloads sshd.
#   setup-ssh-station.sh add-technician LOGIN [PUBLIC_KEY_FILE]
#       Creates the account if it does not exist, puts it in the group, and adds the key to
#       its ~/.ssh/authorized_keys.
#   setup-ssh-station.sh add-supervisor LOGIN
#       Puts a technician's account in the supervisors' group (netac-supervisors): that
#       login may change verdicts and resolve the review queue. Authority follows the login.
#   setup-ssh-station.sh enable-replica
#       Checks the station's [replica] (workbench config check), installs the systemd unit
#       netac-workbench-replica.service (`workbench replicate`), starts it and enables it at
#       boot, then takes a backup at once: exits non-zero unless the replica holds the last commit.
#   setup-ssh-station.sh print-config [--workbench PATH] [--group NAME]
#       Prints the sshd configuration `install` would write (no root needed).
#
# Members of the group get the workbench as their only program: sshd runs ForceCommand
# whatever command the client asked for (`ssh bench sh` still starts the workbench), also
# for sftp/scp, and refuses every kind of forwarding, so a login is not a way into the PC.
set -euo pipefail

GROUP=technicians
SUPERVISORS=netac-supervisors
WORKBENCH=""
PREFIX=/opt/netac-workbench
SSHD_SNIPPET=/etc/ssh/sshd_config.d/netac-workbench.conf
CONFIG_DIR=/etc/netac-workbench
DATA_DIR=/var/lib/netac-workbench
SSHD_CHANGED=""
SOURCE_DIR="$(cd "$(dirname "$0")/.." && pwd)"

say() { printf 'setup-ssh-station: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

sshd_config() {
    cat <<EOF
# Written by deploy/setup-ssh-station.sh; run it again rather than editing this file.
# Members of the group '$GROUP' get the Netac workbench and nothing else.
Match Group $GROUP
    ForceCommand $WORKBENCH
    PermitTTY yes
    AllowTcpForwarding no
    AllowStreamLocalForwarding no
    X11Forwarding no
    AllowAgentForwarding no
    PermitTunnel no
    PermitListen none
    PermitOpen none
    GatewayPorts no
    PermitUserRC no
    # A link that dies silently (unplugged cable, sleeping laptop) ends the session within a
    # minute, so the workbench is hung up on, its draft kept, and the case free to resume.
    ClientAliveInterval 15
    ClientAliveCountMax 4
EOF
}

parse_options() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --workbench) WORKBENCH="${2:?--workbench needs a path}"; shift 2 ;;
            --group) GROUP="${2:?--group needs a name}"; shift 2 ;;
            *) die "unknown option: $1" ;;
        esac
    done
    [[ "$GROUP" =~ ^[a-z_][a-z0-9_-]*$ ]] || die "--group: not a valid group name: $GROUP"
    [[ "$WORKBENCH" != *[[:space:]]* ]] || die "--workbench: a path without spaces, please: $WORKBENCH"
}

need_root() {
    [ "$(id -u)" -eq 0 ] || die "run as root (sudo $0 $*)"
}

# The workbench every technician runs: the one named, else this checkout installed in PREFIX.
install_workbench() {
    if [ -n "$WORKBENCH" ]; then
        [ "${WORKBENCH#/}" != "$WORKBENCH" ] || die "--workbench: sshd needs an absolute path, got $WORKBENCH"
        [ -x "$WORKBENCH" ] || die "--workbench: not an executable file: $WORKBENCH"
        return
    fi
    local py=""
    for candidate in python3.13 python3.12 python3.11 python3; do
        if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
            py="$candidate"; break
        fi
    done
    [ -n "$py" ] || die "Python 3.11 or newer is needed"
    [ -x "$PREFIX/venv/bin/python" ] || "$py" -m venv "$PREFIX/venv" \
        || die "cannot create $PREFIX/venv (Debian: apt-get install python3-venv)"
    # Reinstall only when this checkout changed since the last run.
    local stamp
    stamp="$(cd "$SOURCE_DIR" && { git rev-parse HEAD 2>/dev/null; git status --porcelain 2>/dev/null; sha256sum pyproject.toml; } | sha256sum | cut -c1-16)"
    if [ "$(cat "$PREFIX/.installed" 2>/dev/null)" != "$stamp" ]; then
        say "installing the workbench from $SOURCE_DIR into $PREFIX/venv"
        "$PREFIX/venv/bin/python" -m pip install -q --disable-pip-version-check "$SOURCE_DIR"
        echo "$stamp" > "$PREFIX/.installed"
    fi
    ln -sfn "$PREFIX/venv/bin/workbench" /usr/local/bin/workbench
    WORKBENCH=/usr/local/bin/workbench
}

# A venv inside /root or a home directory cannot be run by other users: catch that now,
# not when the first technician logs in.
check_runnable_by_others() {
    if getent passwd nobody >/dev/null && command -v runuser >/dev/null; then
        runuser -u nobody -- "$WORKBENCH" --help >/dev/null 2>&1 \
            || die "$WORKBENCH cannot be run by other users (is it inside a home directory?); install it with no --workbench"
    fi
}

# One database for the whole station, writable by every technician. SQLite creates its
# -wal and -shm files with the database file's mode and group, so the file made here
# (group-writable, setgid folder) keeps working whichever technician opens it first.
prepare_station() {
    getent group "$GROUP" >/dev/null || { groupadd --system "$GROUP"; say "created group $GROUP"; }
    getent group "$SUPERVISORS" >/dev/null || { groupadd --system "$SUPERVISORS"; say "created group $SUPERVISORS"; }
    install -d -m 2770 -o root -g "$GROUP" "$DATA_DIR"
    # Made by the workbench itself (its schema in it): an empty file would be taken for a
    # database cut to 0 bytes, which the workbench refuses.
    if [ ! -e "$DATA_DIR/cases.db" ]; then
        WORKBENCH_DATABASE_URL="sqlite:///$DATA_DIR/cases.db" "$WORKBENCH" audit verify >/dev/null \
            || die "cannot create the station database $DATA_DIR/cases.db"
        chown root:"$GROUP" "$DATA_DIR/cases.db"
        chmod 0660 "$DATA_DIR/cases.db"
        say "created the station database $DATA_DIR/cases.db"
    fi
    # One ticket-signing key for the station, beside its database: every technician's login
    # signs and verifies with it, and no one outside the group reads it.
    local key="$DATA_DIR/station-ticket-key.pem"
    if [ ! -e "$key" ] && command -v openssl >/dev/null; then
        (umask 077; openssl genpkey -algorithm ED25519 -out "$key" 2>/dev/null) && say "made the station's ticket key $key"
    fi
    [ ! -e "$key" ] || { chown root:"$GROUP" "$key"; chmod 0640 "$key"; }
    if [ ! -e "$CONFIG_DIR/workbench.toml" ]; then
        install -d -m 0755 "$CONFIG_DIR"
        cat > "$CONFIG_DIR/workbench.toml" <<EOF
# The station's configuration (see docs/station-setup.md, Configuration). Set your station id.
[station]
id = "LOCAL"
name = "Netac service station"
supervisors = []

[database]
url = "sqlite:///$DATA_DIR/cases.db"
EOF
        chmod 0644 "$CONFIG_DIR/workbench.toml"
        say "wrote $CONFIG_DIR/workbench.toml: set [station] id and supervisors there"
    fi
}

# Write the sshd snippet, keep it only if the whole configuration still passes `sshd -t`.
write_sshd_config() {
    local sshd; sshd="$(command -v sshd || echo /usr/sbin/sshd)"
    [ -x "$sshd" ] || die "sshd is not installed (Debian: apt-get install openssh-server)"
    grep -Eqs '^[[:space:]]*Include[[:space:]]+/etc/ssh/sshd_config\.d/\*\.conf' /etc/ssh/sshd_config \
        || die "/etc/ssh/sshd_config does not include /etc/ssh/sshd_config.d/*.conf; add that line at its top"
    local new; new="$(mktemp)"
    sshd_config > "$new"
    if cmp -s "$new" "$SSHD_SNIPPET"; then
        rm -f "$new"; say "$SSHD_SNIPPET is up to date"; SSHD_CHANGED=""; return
    fi
    local old=""
    if [ -e "$SSHD_SNIPPET" ]; then old="$(mktemp)"; cp -p "$SSHD_SNIPPET" "$old"; fi
    install -m 0644 "$new" "$SSHD_SNIPPET"; rm -f "$new"
    mkdir -p /run/sshd  # sshd -t checks its privilege-separation folder even when not running
    local problem
    if ! problem="$("$sshd" -t 2>&1)"; then
        if [ -n "$old" ]; then mv "$old" "$SSHD_SNIPPET"; else rm -f "$SSHD_SNIPPET"; fi
        die "sshd rejected the configuration, nothing changed: $problem"
    fi
    rm -f "$old"
    say "wrote $SSHD_SNIPPET"
    SSHD_CHANGED=yes
}

reload_sshd() {
    if command -v systemctl >/dev/null && systemctl is-active --quiet ssh 2>/dev/null; then
        systemctl reload ssh && say "reloaded sshd" && return
    fi
    if [ -s /run/sshd.pid ] && kill -0 "$(cat /run/sshd.pid)" 2>/dev/null; then
        kill -HUP "$(cat /run/sshd.pid)" && say "reloaded sshd" && return
    fi
    say "sshd is not running; start it (systemctl enable --now ssh) and it reads the new configuration"
}

add_technician() {
    local login="${1:?usage: add-technician LOGIN [PUBLIC_KEY_FILE]}" key="${2:-}"
    [[ "$login" =~ ^[a-z_][a-z0-9_-]*$ ]] || die "not a valid login name: $login"
    getent group "$GROUP" >/dev/null || die "group $GROUP does not exist: run '$0 install' first"
    if ! getent passwd "$login" >/dev/null; then
        # A real shell: sshd starts ForceCommand through the login shell, so /usr/sbin/nologin
        # would refuse the workbench too. ForceCommand keeps the shell itself out of reach.
        useradd --create-home --shell /bin/sh --groups "$GROUP" "$login"
        say "created user $login"
    else
        usermod -aG "$GROUP" "$login"
        case "$(getent passwd "$login" | cut -d: -f7)" in
            */nologin|*/false) die "$login's login shell refuses every command, the workbench too: usermod -s /bin/sh $login" ;;
        esac
    fi
    if [ -n "$key" ]; then
        ssh-keygen -l -f "$key" >/dev/null 2>&1 || die "$key: not an SSH public key"
        local home; home="$(getent passwd "$login" | cut -d: -f6)"
        install -d -m 0700 -o "$login" -g "$(id -gn "$login")" "$home/.ssh"
        local keys="$home/.ssh/authorized_keys"
        touch "$keys"
        grep -qxF "$(cat "$key")" "$keys" || cat "$key" >> "$keys"
        chown "$login:$(id -gn "$login")" "$keys"; chmod 0600 "$keys"
        say "$login may log in with $(ssh-keygen -l -f "$key" | cut -d' ' -f2)"
    fi
    say "$login is a technician: 'ssh $login@<this PC>' starts the workbench"
}

add_supervisor() {
    local login="${1:?usage: add-supervisor LOGIN}"
    getent passwd "$login" >/dev/null || die "no account $login: add-technician $login first"
    getent group "$SUPERVISORS" >/dev/null || die "group $SUPERVISORS does not exist: run '$0 install' first"
    usermod -aG "$SUPERVISORS" "$login"
    say "$login is a supervisor: may change verdicts and resolve the review queue (from the next login)"
}

# The replica's service: Litestream, run by the workbench, for the station's database.
enable_replica() {
    command -v systemctl >/dev/null || die "systemd is needed to run the replica's service"
    [ -x /usr/local/bin/workbench ] || die "install the workbench first: $0 install"
    /usr/local/bin/workbench config check | grep -q '^  replica.url  *[a-z]*://' \
        || die "set [replica] url in $CONFIG_DIR/workbench.toml first (docs/replication.md)"
    install -m 0644 "$SOURCE_DIR/deploy/netac-workbench-replica.service" /etc/systemd/system/
    systemctl daemon-reload
    systemctl enable --now netac-workbench-replica.service
    sleep 10  # its first report
    /usr/local/bin/workbench backup || die "the replica does not hold the last commit yet: journalctl -u netac-workbench-replica"
    say "the replica's service runs; 'workbench config check' says when the replica last took a commit"
}

command="${1:-install}"; [ $# -gt 0 ] && shift
case "$command" in
    install)
        parse_options "$@"; need_root install
        # sshd's verdict first: a rejected configuration leaves the station as it was.
        install_workbench; check_runnable_by_others; write_sshd_config; prepare_station
        [ -z "$SSHD_CHANGED" ] || reload_sshd ;;
    add-technician)
        need_root add-technician; add_technician "$@" ;;
    add-supervisor)
        need_root add-supervisor; add_supervisor "$@" ;;
    enable-replica)
        need_root enable-replica; enable_replica ;;
    print-config)
        parse_options "$@"; WORKBENCH="${WORKBENCH:-/usr/local/bin/workbench}"
        [ "${WORKBENCH#/}" != "$WORKBENCH" ] || die "--workbench: sshd needs an absolute path, got $WORKBENCH"
        sshd_config ;;
    -h|--help|help) sed -n '2,25s/^# \{0,1\}//p' "$0" ;;
    *) die "unknown command: $command (install, add-technician, add-supervisor, enable-replica, print-config)" ;;
esac
