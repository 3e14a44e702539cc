"""Who may use a local password: the one question every password path asks (sign-in, change, reset).

While LOCAL_PASSWORDS is on, everyone; when it is off (the council's sign-in is the way in), only the
break-glass administrator named by BREAK_GLASS_ADMIN, so no path lets anyone else back in by password."""
from __future__ import annotations

from flask import current_app, render_template, request

from . import accounts
from .config import setting_on
from .db import get_db


def local_passwords_on() -> bool:
    return setting_on(current_app.config["LOCAL_PASSWORDS"])


def break_glass_email() -> str:
    return (current_app.config.get("BREAK_GLASS_ADMIN") or "").strip()


def local_passwords_allowed(email: str | None) -> bool:
    """May this address sign in with, or set, a local password? Always while LOCAL_PASSWORDS is on; when it
    is off, only the break-glass administrator's (an active administrator's account). Password sign-in,
    change and reset all ask this, so no path lets anyone else back in by password."""
    if local_passwords_on():
        return True
    named = break_glass_email()
    if not named or (email or "").strip().casefold() != named.casefold():
        return False
    row = accounts.find_by_email(get_db(), named)
    return bool(row and row["active"] and row["role"] == "admin")


def no_local_password_page():
    """/account/password for someone who signs in through the council: nothing to change here."""
    return render_template("oidc/no_password.html"), 200 if request.method == "GET" else 403
