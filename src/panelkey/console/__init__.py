"""The web console at `/console/` (HTTPS only): a face for people, like the CLI is one.

Modules:

    app.py        the console: login, keys (POST-redirect-GET), Swagger UI and its key
    pages.py      read-only pages: request journal, refusals, the object browser
    browse.py     the object browser's tables, from the core's finders
    testing.py    fault rules and snapshots of the store (core/testing/)
    listing.py    paging and search of every list, on the server, by query string
    flash.py      the one-time message after a redirect, sealed, bound to the session
    curl.py       a journal entry as a curl command, its secrets named by variables
    session.py    signed session cookies and CSRF tokens (no server-side state, so
                  every worker and every server on one store accepts them)
    templates/    Jinja2 pages, autoescaped: every packet shown is text, never markup
    static/       Pico CSS (vendored, see VENDORED.md), the console's few additions
                  and its little JavaScript (no inline scripts: the CSP allows none)
"""
