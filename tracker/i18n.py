"""Welsh and English: which language a page is in, the language switch, and each person's stored choice.

Every string the tracker shows goes through Flask-Babel (gettext catalogues in tracker/translations,
compiled by scripts/setup.sh). The language of a page, first that applies:

1. a GET with ?lang=cy or ?lang=en (links from the Welsh handbook): kept in the session from then on;
2. the language chosen in this session (the switch, or an earlier ?lang=);
3. the language stored on the signed-in person's account (users.language);
4. the browser's Accept-Language, the best match of cy and en;
5. English.

A ?lang= link changes only the session. The switch on every page is a link (?lang=) for visitors
who are not signed in, and for a signed-in person a button that posts (with the CSRF token) to
/language, which stores the choice on their account as well: what the tracker later sends them
follows language_for(user).
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, has_request_context, redirect, request, session
from flask_babel import Babel, get_locale, refresh
from flask_babel.speaklater import LazyString
from flask_login import current_user

from .db import get_db, writing
from .security import safe_next

LANGUAGES = ("cy", "en")
HTML_LANG = {"cy": "cy", "en": "en-GB"}
NAMES = {"cy": "Cymraeg", "en": "English"}  # each in its own language: the switch's text
SESSION_KEY = "lang"
CARRIED_KEY = "lang_carried"  # set when the language was only carried over from signing out

bp = Blueprint("i18n", __name__)
babel = Babel()


def language_for(user) -> str | None:
    """The language a person chose for the tracker and for everything it sends them: 'cy', 'en', or
    None when they have not chosen (then correspondence goes in both languages, Welsh first).
    user: an accounts.User or a users row."""
    row = getattr(user, "row", user)
    language = row.get("language") if row is not None else None
    return language if language in LANGUAGES else None


def set_language(db, user_id: int, language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(language)
    with writing(db):
        db.conn.execute("UPDATE users SET language = ? WHERE id = ?", (language, user_id))


def select_language() -> str:
    if not has_request_context():  # command line (import-users, create-user): English
        return "en"
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return chosen
    if current_user and current_user.is_authenticated:
        stored = language_for(current_user)
        if stored:
            return stored
    return request.accept_languages.best_match(LANGUAGES) or "en"


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else "en"


def _lang_from_query() -> None:
    """?lang=cy / ?lang=en on any GET switches this session's language (the account's is left alone)."""
    refresh()  # a test may hold one app context (and its g, where Flask-Babel keeps the locale) across requests
    wanted = request.args.get("lang")
    if request.method == "GET" and wanted in LANGUAGES and (
            session.get(SESSION_KEY) != wanted or CARRIED_KEY in session):
        choose_for_session(wanted)


def choose_for_session(language: str) -> None:
    session[SESSION_KEY] = language
    session.pop(CARRIED_KEY, None)


def carry_after_sign_out(language: str) -> None:
    """The sign-in page after signing out stays in the same language, but the next person to sign in
    on this browser gets their own stored language (a shared office computer)."""
    session[SESSION_KEY] = language
    session[CARRIED_KEY] = True


def chosen_before_sign_in() -> str | None:
    """The language to keep through sign-in's fresh session: one chosen on the way in (the switch on the
    sign-in page, or a ?lang= link), not one carried over from someone signing out."""
    language = session.get(SESSION_KEY)
    return language if language in LANGUAGES and not session.get(CARRIED_KEY) else None


def url_in(language: str) -> str:
    """This page's address with ?lang=language (any other lang= removed): the switch's link."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"] + [("lang", language)]
    return f"{request.script_root}{request.path}?{urlencode(args)}"


def here_without_lang() -> str:
    """Where the switch's form sends the person back to: this page (a GET), without ?lang=."""
    if request.method != "GET":
        return ""  # safe_next sends an empty target to the home page
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.script_root + request.path + (f"?{urlencode(args)}" if args else "")


@bp.route("/language", methods=["POST"])
def switch():
    """The switch for a signed-in person (and anyone posting it): this session, and the account."""
    language = request.form.get("lang")
    if language not in LANGUAGES:
        language = current_language()
    choose_for_session(language)
    if current_user.is_authenticated:
        set_language(get_db(), current_user.id, language)
    return redirect(safe_next(request.form.get("next")), 303)


def set_up(state) -> None:
    app = state.app
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "translations")  # relative to the tracker package
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    babel.init_app(app, locale_selector=select_language)
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # {% trans %} blocks: lines joined, as babel.cfg extracts them
    # A lazy string (form labels and messages) says it is safe HTML (LazyString.__html__), so Jinja would
    # print "witness's" unescaped: make it a plain string first, escaped like any other text.
    app.jinja_env.finalize = lambda value: str(value) if type(value) is LazyString else value


bp.record_once(set_up)
bp.before_app_request(_lang_from_query)


@bp.app_context_processor
def languages():
    language = current_language()
    other = "en" if language == "cy" else "cy"
    return {"page_language": language, "html_lang": HTML_LANG[language], "other_language": other,
            "other_language_name": NAMES[other], "other_language_url": url_in,
            "here_without_lang": here_without_lang}
