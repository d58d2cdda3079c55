"""The public pages: the front page of medarbejdersignatur.dk and the simple info pages."""

from flask import Blueprint, abort, render_template

bp = Blueprint("public", __name__)

# Pages outside the procedure: a heading and one line, enough for a faithful frame.
INFO_PAGES = {
    "bestil": "Bestil medarbejdersignatur",
    "laes-om": "Læs om medarbejdersignatur",
    "hjaelp": "Få hjælp til medarbejdersignatur",
    "vejledninger": "Populære vejledninger",
    "regning": "Forstå din regning",
    "presse": "Presse",
    "nyhedsbrev": "Nyhedsbrev",
    "kontakt": "Kontakt",
    "sideoversigt": "Sideoversigt",
    "cookies": "Cookies",
    "support": "Support",
    "kundeservice": "Kundeservice",
    "om-nets-danid": "Om Nets DanID",
    "produkter": "Produkter",
}


@bp.route("/")
def front():
    return render_template("public/front.html")


@bp.route("/info/<slug>")
def info(slug):
    title = INFO_PAGES.get(slug)
    if title is None:
        abort(404)
    return render_template("public/info.html", title=title)
