"""Council sign-in by OpenID Connect, and switching local passwords off.

The council's identity provider is found by discovery from OIDC_ISSUER (empty: council sign-in is off).
/login/oidc sends the person there with an authorization-code request (PKCE S256, a state and a nonce,
kept in the signed session cookie by Authlib); /login/oidc/callback checks the state, exchanges the code,
and Authlib checks the ID token's signature against the provider's published keys, its issuer, audience
(our client id), expiry and nonce. The person is then matched case-insensitively by their verified email
address to an account an administrator created; roles stay the tracker's. Only if
OIDC_CREATE_ACCOUNTS_DOMAIN names the address's domain is an account made by signing in: an inductee with
no manager, audited.

With LOCAL_PASSWORDS off, no one signs in with a password except BREAK_GLASS_ADMIN, at /login/break-glass;
password_policy.local_passwords_allowed(email) is the one question every password path asks (sign-in, change, reset).

Every refusal is a page saying what happened and what to do, with a 4xx status; the log gets the reason's
code only, never an address, a name or a token.
"""
from __future__ import annotations

import logging
import secrets

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError
from authlib.integrations.flask_client import OAuth
from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user
from joserfc.errors import JoseError

from . import accounts, audit, auth, i18n, mail
from .audit_actions import Action
from .db import get_db, writing
from .password_policy import local_passwords_allowed, local_passwords_on
from .security import safe_next

bp = Blueprint("oidc", __name__)
log = logging.getLogger(__name__)

SCOPES = "openid email profile"
PROVIDER_TIMEOUT = 10  # seconds for each request to the provider (discovery, keys, token)
NEXT_KEY = "oidc_next"  # where to go after signing in, kept across the trip to the provider

# reason: (status, title, advice); the advice may name the address the provider gave (%(email)s).
REFUSALS = {
    "provider_error": (400, _l("The council's sign-in service did not sign you in"),
                       _l("You may have cancelled, or the service refused the request. Try again. If it happens "
                          "again, ask your service's administrator.")),
    "state": (400, _l("Your sign-in has expired"),
              _l("The answer from the council's sign-in service was already used, is too old, or was opened in a "
                 "different browser. Start again from the sign-in page.")),
    "unreachable": (400, _l("The council's sign-in service is not available"),
                    _l("The tracker could not reach it. Try again in a few minutes. If it still does not work, ask "
                       "your service's administrator.")),
    "token": (400, _l("Your sign-in could not be checked"),
              _l("The answer from the council's sign-in service could not be verified, so you have not been "
                 "signed in. Try again. If it happens again, tell your service's administrator.")),
    "unverified": (403, _l("Your email address is not verified"),
                   _l("Your council account does not have a verified email address, so the tracker cannot tell "
                      "which tracker account is yours. Ask your council's IT service desk to check your account.")),
    "unknown": (403, _l("You do not have a tracker account"),
                _l("There is no tracker account for %(email)s. Ask your manager or your service's administrator "
                   "to create one for that address, then sign in again.")),
    "inactive": (403, _l("Your tracker account is switched off"),
                 _l("Ask your manager or your service's administrator if you should still have access.")),
}


# ---- settings ------------------------------------------------------------------------------

def enabled() -> bool:
    return bool((current_app.config.get("OIDC_ISSUER") or "").strip())


def button_label() -> str:
    name = (current_app.config.get("OIDC_PROVIDER_NAME") or "").strip()
    return gettext("Sign in with %(provider)s", provider=name) if name else gettext("Sign in with your council account")


@bp.app_context_processor
def sign_in_options():
    """For the sign-in page: which ways in it offers."""
    return {"sign_in_options": lambda: {"council": enabled(), "council_label": button_label(),
                                        "passwords": local_passwords_on()},
            # the header's account link: "Change password", or "Your account" for someone with no password
            "has_local_password": lambda: local_passwords_allowed(current_user.row["email"])}


# ---- the provider --------------------------------------------------------------------------

def provider():
    """This app's Authlib client for the council's provider, made on first use from the settings."""
    oauth = current_app.extensions.get("tracker_oidc")
    if oauth is None:
        config = current_app.config
        oauth = OAuth(current_app._get_current_object())
        oauth.register(
            "council", client_id=config.get("OIDC_CLIENT_ID"), client_secret=config.get("OIDC_CLIENT_SECRET"),
            server_metadata_url=issuer() + "/.well-known/openid-configuration",
            client_kwargs={"scope": SCOPES, "code_challenge_method": "S256", "default_timeout": PROVIDER_TIMEOUT})
        current_app.extensions["tracker_oidc"] = oauth
    return oauth.council


def issuer() -> str:
    return current_app.config["OIDC_ISSUER"].strip().rstrip("/")


def check_discovered_issuer(client) -> None:
    """The discovery document must be the issuer's own (OpenID Connect Discovery 1.0, section 4.3)."""
    found = str(client.load_server_metadata().get("issuer", "")).rstrip("/")
    if found != issuer():
        raise Refused("unreachable", "the discovery document names another issuer")


class Refused(Exception):
    def __init__(self, reason: str, why: str = "", email: str = ""):
        super().__init__(reason)
        self.reason, self.why, self.email = reason, why, email


def refusal_page(refused: Refused):
    status, title, advice = REFUSALS[refused.reason]
    log.warning("council sign-in refused: %s%s", refused.reason, f" ({refused.why})" if refused.why else "")
    advice = str(advice) % {"email": refused.email} if refused.reason == "unknown" else advice
    return render_template("oidc/refused.html", title=title, advice=advice, reason=refused.reason), status


# ---- routes --------------------------------------------------------------------------------

@bp.route("/login/oidc")
def start():
    if current_user.is_authenticated:
        return redirect(url_for("home"))
    if not enabled():
        return redirect(url_for("auth.login"))
    forget_earlier_attempts()
    session[NEXT_KEY] = safe_next(request.args.get("next"))
    try:
        client = provider()
        check_discovered_issuer(client)
        # the address registered with the provider: from PUBLIC_URL when set, as links in emails are (the
        # request's own host is one of TRUSTED_HOSTS otherwise, and the provider accepts only its registered one)
        callback = mail.link_or_none("oidc.callback") or url_for("oidc.callback", _external=True)
        return client.authorize_redirect(callback, ui_locales=i18n.current_language())
    except Refused as refused:
        return refusal_page(refused)
    except (requests.RequestException, ValueError, RuntimeError) as error:
        return refusal_page(Refused("unreachable", type(error).__name__))


def forget_earlier_attempts() -> None:
    """One sign-in at a time in a browser: each attempt's state (with its authorization URL) is kept in the
    session cookie, which would outgrow a browser's 4 KB limit after a dozen clicks."""
    for key in [key for key in session if key.startswith("_state_council_")]:
        session.pop(key)


@bp.route("/login/oidc/callback")
def callback():
    if current_user.is_authenticated:
        return redirect(url_for("home"))
    if not enabled():
        return redirect(url_for("auth.login"))
    try:
        claims = verified_claims()
        row = account_for(claims)
    except Refused as refused:
        return refusal_page(refused)
    target = session.get(NEXT_KEY)
    sign_in(row)
    return redirect(safe_next(target))


def verified_claims() -> dict:
    """The ID token's claims, once Authlib has checked the state, the code exchange (with the PKCE verifier)
    and the token's signature, issuer, audience, expiry and nonce."""
    if request.args.get("error"):
        raise Refused("provider_error", "the provider answered with an error")
    try:
        token = provider().authorize_access_token(leeway=60)
    except MismatchingStateError:
        raise Refused("state", "no sign-in in this session has that state") from None
    except requests.RequestException as error:
        raise Refused("unreachable", type(error).__name__) from None
    except (AuthlibBaseError, JoseError, ValueError, KeyError, RuntimeError) as error:
        raise Refused("token", type(error).__name__) from None
    claims = token.get("userinfo")
    if not claims:
        raise Refused("token", "no ID token")
    return dict(claims)


def account_for(claims: dict) -> dict:
    """The active account whose address the provider has verified, made first if the domain allows it."""
    email = claims.get("email")
    if not isinstance(email, str) or not accounts.valid_email(email) or not email_verified(claims):
        raise Refused("unverified")
    db = get_db()
    row = accounts.find_by_email(db, email)
    if row is None and may_create_account(email):
        row = accounts.get_user(db, create_account(db, email, claims))
    if row is None:
        raise Refused("unknown", email=email)
    if not row["active"]:
        raise Refused("inactive")
    return row


def email_verified(claims: dict) -> bool:
    """The provider vouches for the address: `email_verified` true; or, with no `email_verified` at all (Microsoft
    Entra ID never sends it for work accounts), Entra's optional claim `xms_edov` true: the address's domain is
    one the tenant has proved it owns. OIDC_ISSUER names the council's own tenant, so that is the council's."""
    if "email_verified" in claims:
        return claims["email_verified"] in (True, "true")
    return claims.get("xms_edov") in (True, "true", 1, "1")


def may_create_account(email: str) -> bool:
    domain = (current_app.config.get("OIDC_CREATE_ACCOUNTS_DOMAIN") or "").strip().lstrip("@").casefold()
    return bool(domain) and email.rpartition("@")[2].casefold() == domain


def create_account(db, email: str, claims: dict) -> int:
    """An inductee with no manager (an administrator adds one), and no usable password: its hash is of a
    random secret no one ever sees."""
    name = claims.get("name") if isinstance(claims.get("name"), str) and claims["name"].strip() else None
    name = name or " ".join(str(claims[k]) for k in ("given_name", "family_name") if claims.get(k)) or \
        email.partition("@")[0]
    with writing(db):
        user_id = db.conn.execute(
            "INSERT INTO users (email, name, role, password_hash) VALUES (?, ?, 'inductee', ?)",
            (email.strip(), name.strip()[:200], accounts.hash_password(secrets.token_urlsafe(32)))).lastrowid
        audit.log(db, None, Action.USER_CREATED, subject_id=user_id, detail="role=inductee, by council sign-in")
    return user_id


def sign_in(row: dict) -> None:
    """As a password sign-in does (auth.attempt_login): a fresh session, the language chosen on the way in
    kept, the idle timeout applied."""
    language = i18n.chosen_before_sign_in()
    session.clear()
    if language:
        i18n.choose_for_session(language)
    login_user(accounts.User(row))
    session.permanent = True


@bp.route("/login/break-glass", methods=["GET", "POST"])
def break_glass():
    """The password form for the named administrator while local passwords are off (council sign-in down)."""
    if current_user.is_authenticated:
        return redirect(url_for("home"))
    if local_passwords_on():
        return redirect(url_for("auth.login"))
    form = auth.LoginForm()
    if form.validate_on_submit():
        error = auth.attempt_login(form.email.data, form.password.data)  # refuses everyone else, the same way
        if error is None:
            return redirect(url_for("home"))
        form.email.errors.append(error)
    return render_template("oidc/break_glass.html", form=form), 200 if not form.errors else 400
