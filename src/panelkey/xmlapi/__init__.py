"""The XML face: Plesk's ``POST /enterprise/control/agent.php`` packets -> core calls.

Modules:

    app.py        transport (raw ASGI), the order of checks, packet-level errors
    parsing.py    parse_packet: well-formed, no DTD or entities, bounded depth
    versions.py   the protocol versions served, check_version, the operators each had
    validation.py validate against agent.xsd (schema_errors.py: libxml2's messages)
    dispatch.py   pairs operations with handlers, then runs them in document order
    render.py     answers: packet, <system> errors, <result> elements, pretty print
    errors.py     the one table: core error class -> errcode (most specific first)
    request.py    Request (what a handler is given) and the @no_store marker
    select.py     the one filter engine: a ``<filter>`` -> the objects it names
    values.py     values on the wire: flags, ids, numbers, statuses, htypes, addresses
    reach.py      what the caller reaches by Plesk's references (domains, accounts)
    blocks.py     settings blocks (limits, permissions, hosting...) read and written
    accounts.py, domain_answers.py, domain_forms.py
                  what several operators share: accounts (customer, reseller, client),
                  domains (webspace and site: filters, get, del; request forms)
    operators/    one module per operator, registered in operators/__init__.py; an
                  operator imports the modules above, never another operator

Adding an operator (say ``webspace``)::

    # panelkey/xmlapi/operators/webspace.py
    from lxml import etree
    from panelkey.xmlapi import reach, render
    from panelkey.xmlapi.request import Operator, Request
    from panelkey.xmlapi.select import Filter, one

    # which filter element maps to which core lookup (select.py)
    FILTER = Filter(reach.WEBSPACE_NOT_FOUND, {"id": one(reach.webspace("id"))}, everything)

    def get(req: Request, op: etree._Element) -> list[etree._Element | bytes]:
        ...  # req.ctx.panel, req.identity, req.address, req.face == "xml"
        return FILTER.read(req, op, lambda d: [("id", d.id), ("data", data(d))])

    OPERATIONS: Operator = {"get": get, "add": add, "del": del_}

    # panelkey/xmlapi/operators/__init__.py: one line in OPERATORS
    "webspace": webspace.OPERATIONS,

The handler contract: ``handler(req: Request, op: etree._Element) ->
list[etree._Element]``. ``op`` is the operation element of the request (it has
passed agent.xsd, so the schema's order and cardinality hold). The returned
elements become the children of the answer's element of the same name as ``op``,
normally one ``<result>`` per object: ``render.ok(fields)`` or
``render.error(exc, fields)`` (status, errcode, errtext, then fields). A core error
raised out of a handler answers the whole operation with one error result, so a
handler does not catch one for that; where an operation answers per object, the
object's error goes in its result through ``render.outcome`` (``Filter.each`` does it).
Any other exception answers 1023 and is logged. Handlers may use the store: a packet of a
few reads (`get*`) runs on the event loop, anything else in a worker thread; mark one
``@no_store`` only when it does no I/O, so a packet of such operations runs on the loop.
An operation the schema accepts but no handler serves makes the whole packet a 1014,
before anything runs.
"""
