"""APS applications as data: the package catalogue and the packages on the server
(packages.py), the app filters of plans, resellers and subscriptions (filters.py), and
the applications installed on sites (installations.py).

panelkey runs no application: a download takes no network, an install writes no file.
It keeps what Plesk's API shows and answers it back (docs/xml-api.md, operator `aps`).
"""
