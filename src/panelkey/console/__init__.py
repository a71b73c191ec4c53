"""The web console at `/console/` (HTTPS only): a face for people, like the CLI is one.

Modules:

    app.py        routes: login, keys, journal, refusals, accounts, Swagger UI
    session.py    signed session cookies and CSRF tokens (no server-side state, so
                  every worker and every server on one store accepts them)
    templates/    Jinja2 pages, autoescaped: every packet shown is text, never markup
    static/       the console's CSS and its little JavaScript (no inline scripts: the
                  Content-Security-Policy allows none)
"""
