#!/usr/bin/python3
"""dunst's script in the window tests (see startNotificationDaemon in tests/e2e/support.mjs):
dunst runs it for every notification it shows, with what it received in DUNST_* variables.
It writes them to $THANKS_E2E_NOTIFICATIONS/<id>.json, whole or not at all."""

import json
import os

record = {
    "id": int(os.environ["DUNST_ID"]),
    "app_name": os.environ.get("DUNST_APP_NAME", ""),
    "summary": os.environ.get("DUNST_SUMMARY", ""),
    "body": os.environ.get("DUNST_BODY", ""),
    "desktop_entry": os.environ.get("DUNST_DESKTOP_ENTRY", ""),
    "urgency": os.environ.get("DUNST_URGENCY", ""),
}
path = os.path.join(os.environ["THANKS_E2E_NOTIFICATIONS"], f"{record['id']}.json")
with open(path + ".tmp", "w") as f:
    json.dump(record, f)
os.replace(path + ".tmp", path)
