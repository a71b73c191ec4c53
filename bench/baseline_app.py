"""The baseline: a bare Starlette app on the same ASGI server, answering
`GET /api/v2/server` with the very bytes panelkey answers, with no authentication and
no store. Run: python -m bench.baseline_app BODY_FILE HTTP_PORT HTTPS_PORT CERT KEY"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def make_app(body: bytes) -> Starlette:
    async def server(_request: Request) -> Response:
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/api/v2/server", server)])


async def main(body_file: str, http_port: int, https_port: int, cert: str, key: str) -> None:
    app = make_app(Path(body_file).read_bytes())
    common = dict(
        http="httptools", loop="none", lifespan="off", access_log=False, log_level="warning"
    )
    plain = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=http_port, **common))  # type: ignore[arg-type]
    tls = uvicorn.Server(
        uvicorn.Config(
            app,
            host="127.0.0.1",
            port=https_port,
            ssl_certfile=cert,
            ssl_keyfile=key,
            **common,  # type: ignore[arg-type]
        )
    )
    await asyncio.gather(plain.serve(), tls.serve())


if __name__ == "__main__":
    import uvloop

    uvloop.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]))
