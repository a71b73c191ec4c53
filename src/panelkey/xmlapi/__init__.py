"""The XML face: Plesk's ``POST /enterprise/control/agent.php`` packets -> core calls.

Modules:

    app.py        transport (raw ASGI), the order of checks, packet-level errors
    parsing.py    parse_packet / check_version / validate against agent.xsd
    dispatch.py   pairs operations with handlers, then runs them in document order
    render.py     answers: packet, <system> errors, <result> elements, pretty print
    errors.py     the one table: core error class -> errcode (most specific first)
    request.py    Request (what a handler is given) and the @no_store marker
    operators/    one module per operator, registered in operators/__init__.py

Adding an operator (say ``webspace``)::

    # panelkey/xmlapi/operators/webspace.py
    from lxml import etree
    from panelkey.xmlapi import render
    from panelkey.xmlapi.request import Operator, Request

    def get(req: Request, op: etree._Element) -> list[etree._Element]:
        ...  # req.ctx.panel, req.identity, req.address, req.face == "xml"
        return [render.ok([("filter-id", "1"), ("id", 1), ("data", data)])]

    OPERATIONS: Operator = {"get": get, "add": add, "del": del_}

    # panelkey/xmlapi/operators/__init__.py: one line in OPERATORS
    "webspace": webspace.OPERATIONS,

The handler contract: ``handler(req: Request, op: etree._Element) ->
list[etree._Element]``. ``op`` is the operation element of the request (it has
passed agent.xsd, so the schema's order and cardinality hold). The returned
elements become the children of the answer's element of the same name as ``op``,
normally one ``<result>`` per object: ``render.ok(fields)`` or
``render.error(exc, fields)`` (status, errcode, errtext, then fields). A core error
raised out of a handler answers the whole operation with one error result; any
other exception answers 1023 and is logged. Handlers may use the store: a packet of a
few reads (`get*`) runs on the event loop, anything else in a worker thread; mark one
``@no_store`` only when it does no I/O, so a packet of such operations runs on the loop.
An operation the schema accepts but no handler serves makes the whole packet a 1014,
before anything runs.
"""
