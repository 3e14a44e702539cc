"""The tracker's own error pages: a plain explanation and what to do, never a stack trace."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

ERRORS = {
    400: (_l("Something was wrong with that request"), _l("Go back, reload the page and try again.")),
    403: (_l("You do not have access to this page"), _l("If you think you should, ask your manager or administrator.")),
    404: (_l("Page not found"), _l("Check the address, or go back to your dashboard.")),
    405: (_l("That action is not allowed here"), _l("Go back and use the buttons on the page.")),
    413: (_l("The file is too big"), _l("Files must be smaller than 10 MB. Go back and choose a smaller file.")),
    500: (_l("Sorry, there is a problem with the service"),
          _l("Try again later. Nothing you saved before this has been lost.")),
}


def register_error_pages(app: Flask) -> None:
    def render(code: int):
        title, advice = ERRORS[code]
        return render_template("error.html", title=title, advice=advice, code=code), code

    for code in ERRORS:
        app.register_error_handler(code, lambda error, code=code: render(code))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("error.html", title=gettext("Your form has expired"),
                               advice=gettext("Go back, reload the page and submit the form again."), code=400), 400
