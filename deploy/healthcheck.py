"""The container HEALTHCHECK (python:3.11-slim has no curl): GET /healthz of `luoshi serve SERVICE` on loopback.

python /app/healthcheck.py tasks|scoring|notify      exit 0 when the process answers 200
"""

import sys
import urllib.request

from luoshi_ops.services import service_port


def main(service: str) -> int:
    url = f"http://127.0.0.1:{service_port(service)}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except OSError as exc:  # URLError, HTTPError, timeouts
        print(f"{url}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
