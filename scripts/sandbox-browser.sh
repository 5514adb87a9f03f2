#!/usr/bin/env bash
# sandbox-browser.sh URL: a stand-in for the system browser, for the demo and tests.
#
# Set as $BROWSER, it receives the authorize URL, "clicks" Approve on the sandbox's consent
# page (or Deny when THANKS_DEMO_DECISION=deny), follows a loopback redirect like a browser, and
# otherwise hands the callback back the way the OS would hand a deep link to the app: by running `thanksctl complete CALLBACK` (or
# $THANKS_DEMO_CALLBACK_HANDLER CALLBACK when set, e.g. the desktop app's binary).
#
# With THANKS_DEMO_CALLBACK_FILE=PATH it hands the callback to nobody: it writes the callback
# URL to PATH (mode 600, atomically: the file appears complete or not at all) and exits, so a
# test can close the app first and then launch it with the link, as the OS does on a cold start.
set -euo pipefail

url=${1:?usage: sandbox-browser.sh AUTHORIZE_URL}
thanksctl=${THANKSCTL:-thanksctl}
flags=()
[[ ${THANKS_DEMO_DECISION:-approve} == deny ]] && flags+=(--deny)

callback=$("$thanksctl" sandbox consent "$url" "${flags[@]}")
# A loopback redirect (http://127.0.0.1:PORT/…) is an ordinary web address: a browser follows it
# to the app's listener and shows the page it answers with.
if [[ $callback == http://127.0.0.1:* || $callback == http://\[::1\]:* ]]; then
    exec curl -fsS --max-time 20 -o /dev/null "$callback"
fi
if [[ -n ${THANKS_DEMO_CALLBACK_FILE:-} ]]; then
    umask 077
    tmp="$THANKS_DEMO_CALLBACK_FILE.tmp.$$"
    printf '%s\n' "$callback" >"$tmp"
    mv -f -- "$tmp" "$THANKS_DEMO_CALLBACK_FILE"
    exit 0
fi
if [[ -n ${THANKS_DEMO_CALLBACK_HANDLER:-} ]]; then
    exec "$THANKS_DEMO_CALLBACK_HANDLER" "$callback"
fi
exec "$thanksctl" complete "$callback"
