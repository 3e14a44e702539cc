"""The tracker's own error pages: a plain explanation and what to do, never a stack trace."""
from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

ERRORS = {
    400: ("Something was wrong with that request", "Go back, reload the page and try again."),
    403: ("You do not have access to this page", "If you think you should, ask your manager or administrator."),
    404: ("Page not found", "Check the address, or go back to your dashboard."),
    405: ("That action is not allowed here", "Go back and use the buttons on the page."),
    413: ("The file is too big", "Files must be smaller than 10 MB. Go back and choose a smaller file."),
    500: ("Sorry, there is a problem with the service",
          "Try again later. Nothing you saved before this has been lost."),
}


def register_error_pages(app: Flask) -> None:
    def render(code: int):
        title, advice = ERRORS[code]
        return render_template("error.html", title=title, advice=advice, code=code), code

    for code in ERRORS:
        app.register_error_handler(code, lambda error, code=code: render(code))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("error.html", title="Your form has expired",
                               advice="Go back, reload the page and submit the form again.", code=400), 400
