#!/usr/bin/env bash
# with-keyring.sh CMD [ARGS...]: runs CMD with a real, unlocked Secret Service of its own.
#
# CMD gets a private session bus (dbus-run-session), a fresh XDG_RUNTIME_DIR and a throwaway
# HOME, and inside them a gnome-keyring-daemon whose login keyring is created and unlocked with
# a known password. So tests exercise the real keyring code path, never read or write the
# developer's own keyring, and behave the same on a laptop, in CI, and with no display.
# THANKS_TEST_KEYRING=1 tells the tests that this is the environment they are in.
#
# Exit status: CMD's, or 75 when CMD failed after gnome-keyring-daemon itself died. Nothing outlives the run: the daemon is stopped by PID, the bus ends
# with dbus-run-session, and the temporary directories are removed.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: scripts/with-keyring.sh CMD [ARGS...]" >&2
    exit 2
fi

self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
# shellcheck source=scripts/lib.sh
source "$(dirname "$self")/lib.sh"

# How long the daemon may take to own its bus name and unlock (normally ~0.1 s).
readonly READY_TIMEOUT_SECONDS=20
# The exit status when CMD failed and the keyring daemon had died under it (see inner()).
readonly KEYRING_DAEMON_DIED=75

outer() {
    local tool
    for tool in dbus-run-session dbus-send gnome-keyring-daemon secret-tool; do
        command -v "$tool" >/dev/null 2>&1 ||
            die "$tool is not installed. Run scripts/test.sh once (it installs dbus, gnome-keyring and libsecret-tools), or: scripts/lib.sh install_system_packages"
    done

    # Everything that finds files through HOME must be pinned before HOME changes: cargo and
    # rustup would otherwise look for toolchains and the registry in the empty HOME, and the
    # build cache would move with it.
    export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
    export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
    cache_dirs

    local home runtime status=0
    home="$(mktemp -d "${TMPDIR:-/tmp}/thanks-keyring-home.XXXXXX")"
    runtime="$(mktemp -d "${TMPDIR:-/tmp}/thanks-keyring-runtime.XXXXXX")"
    # shellcheck disable=SC2064 # expand now: the paths are local to this function
    trap "rm -rf '$home' '$runtime'" EXIT
    # Signals end the script through `exit`, so the EXIT trap still cleans up.
    trap 'exit 130' INT
    trap 'exit 143' TERM
    # D-Bus and gnome-keyring refuse a runtime directory others can read.
    chmod 700 "$home" "$runtime"

    export HOME="$home" XDG_RUNTIME_DIR="$runtime"
    # gnome-keyring keeps its data under XDG_DATA_HOME: a value inherited from the real
    # session would point it at the developer's own keyrings.
    export XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache"
    # A desktop session's keyring daemon must not be found and reused (or unlocked with our
    # password): the daemon discovers a running one through these.
    unset GNOME_KEYRING_CONTROL GNOME_KEYRING_PID DBUS_SESSION_BUS_ADDRESS
    # No notification daemon starts on demand (D-Bus activation, e.g. dunst's service file):
    # one started by whichever test first notifies would hold the name for the rest of the run,
    # and the outcome would hang on what happens to be installed. A test that wants a daemon
    # starts its own. A service file under XDG_DATA_HOME outranks the system's for that name.
    mkdir -p "$XDG_DATA_HOME/dbus-1/services"
    printf '[D-BUS Service]\nName=org.freedesktop.Notifications\nExec=/bin/false\n' \
        >"$XDG_DATA_HOME/dbus-1/services/org.freedesktop.Notifications.service"

    _THANKS_WITH_KEYRING_STAGE=inner dbus-run-session -- bash "$self" "$@" || status=$?
    exit "$status"
}

# True once the daemon owns org.freedesktop.secrets and its login keyring takes a write. The
# name is checked with NameHasOwner, which never starts anything: a method call to the name
# itself would make the bus start a second, locked daemon through D-Bus activation.
secret_service_ready() {
    local reply
    reply="$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus \
        /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null)" || return 1
    [[ $reply == *"boolean true"* ]] || return 1
    printf '%s' ready | secret-tool store --label='with-keyring.sh readiness probe' with-keyring-probe ready 2>/dev/null || return 1
    [[ $(secret-tool lookup with-keyring-probe ready 2>/dev/null) == ready ]] || return 1
    secret-tool clear with-keyring-probe ready 2>/dev/null
}

inner() {
    local log="$XDG_RUNTIME_DIR/gnome-keyring.log" daemon_runtime="$XDG_RUNTIME_DIR/keyring-daemon"
    local keyring_pid status=0
    # The daemon gets a runtime directory of its own. A daemon finds another one through the
    # control socket under XDG_RUNTIME_DIR; a test that starts its own bus (and, by D-Bus
    # activation, its own gnome-keyring) inside CMD would otherwise hand over to this one and
    # its activation would hang for the bus's 120 s start timeout. CMD reaches this daemon over
    # D-Bus only, which is all a Secret Service client uses.
    mkdir -m 700 "$daemon_runtime"
    # A fresh HOME has no login keyring yet: --unlock creates it with this password. An EMPTY
    # password doesn't work there (the daemon then wants to prompt, and there is no display).
    # --foreground keeps the daemon our child, so we know its PID and can stop it.
    printf '%s' "with-keyring-password" |
        XDG_RUNTIME_DIR="$daemon_runtime" gnome-keyring-daemon --foreground --unlock --components=secrets >"$log" 2>&1 &
    keyring_pid=$!
    # shellcheck disable=SC2064 # expand now: the PID is local to this function
    trap "kill $keyring_pid 2>/dev/null || true; wait $keyring_pid 2>/dev/null || true" EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    local deadline=$((SECONDS + READY_TIMEOUT_SECONDS))
    until secret_service_ready; do
        if ! kill -0 "$keyring_pid" 2>/dev/null; then
            cat "$log" >&2
            die "gnome-keyring-daemon exited before the Secret Service was ready (its output is above)."
        fi
        if ((SECONDS >= deadline)); then
            cat "$log" >&2
            die "the Secret Service wasn't ready after ${READY_TIMEOUT_SECONDS}s (gnome-keyring-daemon's output is above)."
        fi
        sleep 0.1
    done

    export THANKS_TEST_KEYRING=1
    "$@" || status=$?
    # gnome-keyring-daemon (42 to 50 at least) can abort when many short-lived clients open
    # sessions at once (upstream: gnome-keyring issues 190, 196 and 199, "assertion 'client'
    # failed"); the D-Bus activation then starts a second daemon whose keyring is locked. The
    # failures that follow say nothing about our code, so they get an exit status of their own,
    # which scripts/test.sh answers with one rerun on a fresh daemon.
    if ! kill -0 "$keyring_pid" 2>/dev/null; then
        local daemon_status=0
        wait "$keyring_pid" 2>/dev/null || daemon_status=$?
        echo "with-keyring.sh: gnome-keyring-daemon died while the command ran (exit status $daemon_status); its output:" >&2
        tail -n 40 "$log" >&2
        if ((status != 0)); then
            exit "$KEYRING_DAEMON_DIED"
        fi
    fi
    exit "$status"
}

if [[ ${_THANKS_WITH_KEYRING_STAGE:-} == inner ]]; then
    unset _THANKS_WITH_KEYRING_STAGE
    inner "$@"
else
    outer "$@"
fi
