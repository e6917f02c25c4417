"""The baseline: "Hello, World!" as a bare WSGI function, with no framework at all.

benchmarks/run.py serves it with gunicorn exactly like the apps, and reports every app's
throughput as a ratio to this one's.
"""


def application(environ, start_response):
    body = b"Hello, World!"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
