"""Sign in, sign out and change password, with lockout after repeated failures."""
from __future__ import annotations

import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo

from . import accounts, i18n, login_manager
from .accounts import MIN_PASSWORD_LENGTH, User, get_user
from .db import get_db
from .forms import ascii_int, strong_password
from .password_policy import local_passwords_allowed, no_local_password_page
from .security import safe_next

bp = Blueprint("auth", __name__)
class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(_l("Enter your email address"))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password"))])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(_l("Enter your current password"))])
    new_password = PasswordField(
        _l("New password"), description=_l("At least %(count)s characters", count=MIN_PASSWORD_LENGTH),
        validators=[DataRequired(_l("Enter a new password")), strong_password])
    confirm_password = PasswordField(_l("Confirm new password"), validators=[
        DataRequired(_l("Enter the new password again")), EqualTo("new_password", _l("The passwords do not match"))])



# The one message for every failed sign-in, whether or not the address has an account.
FAILED_MESSAGE = _l("Enter a correct email address and password. After %(failures)s failed attempts,"
                    " wait %(minutes)s minutes before trying again")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home"))
    form = LoginForm()
    if form.validate_on_submit():
        error = attempt_login(form.email.data, form.password.data)
        if error is None:
            return redirect(safe_next(request.args.get("next")))
        form.email.errors.append(error)
    return render_template("auth/login.html", form=form), 200 if not form.errors else 400


def attempt_login(email: str, password: str) -> str | None:
    """Sign in, or say why not. An unknown address, a wrong password and a locked (address, client)
    pair get the same message and cost the same time: the same argon2 check (against a dummy hash
    for an unknown address), the same one write, the same fixed delay. So no answer tells anyone
    whether an address has an account."""
    db = get_db()
    config = current_app.config
    row = accounts.find_by_email(db, email)
    key = accounts.throttle_key(config["SECRET_KEY"], email, request.remote_addr or "unknown")
    locked = accounts.pair_locked(db, key)
    matches = accounts.verify_password(row["password_hash"] if row else accounts.dummy_hash(), password)
    allowed = local_passwords_allowed(email)  # with local passwords off, only the break-glass admin
    if row is not None and matches and row["active"] and not locked and allowed:
        accounts.note_successful_login(db, key)
        language = i18n.chosen_before_sign_in()  # chosen on the way in: kept; else the account's applies
        session.clear()  # a fresh session on sign-in: no fixation
        if language:
            i18n.choose_for_session(language)
        login_user(accounts.User(row))
        session.permanent = True
        return None
    accounts.note_failed_login(db, key, row["id"] if row and row["active"] else None,
                               config["LOGIN_MAX_FAILURES"], config["LOGIN_LOCKOUT_MINUTES"])
    time.sleep(config["LOGIN_FAILURE_DELAY"])
    return str(FAILED_MESSAGE) % {"failures": config["LOGIN_MAX_FAILURES"], "minutes": config["LOGIN_LOCKOUT_MINUTES"]}


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    accounts.end_sessions(get_db(), current_user.id)  # on the server: a copied cookie no longer works
    language = i18n.current_language()  # the sign-in page that follows stays in the same language
    logout_user()
    session.clear()
    i18n.carry_after_sign_out(language)
    flash(gettext("You have signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    if not local_passwords_allowed(current_user.email):
        return no_local_password_page()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not accounts.verify_password(current_user.row["password_hash"], form.current_password.data):
            form.current_password.errors.append(gettext("Your current password is not correct"))
        else:
            accounts.set_password(get_db(), current_user.id, form.new_password.data, current_user.id)
            row = accounts.get_user(get_db(), current_user.id)
            language = session.get(i18n.SESSION_KEY)
            session.clear()
            if language:
                i18n.choose_for_session(language)
            login_user(accounts.User(row))  # other sessions end: the session version changed
            flash(gettext("Your password has been changed."), "success")
            return redirect(url_for("home"))
    return render_template("auth/change_password.html", form=form), 200 if not form.errors else 400


@login_manager.user_loader
def load_user(session_id: str):
    user_id, _, version = session_id.partition(":")
    if ascii_int(user_id) is None:
        return None
    row = get_user(get_db(), ascii_int(user_id))
    if row is None or not row["active"] or str(row["session_version"]) != version:
        return None
    return User(row)
