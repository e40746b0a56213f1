"""A loopback HTTP proxy in front of the real node, for fault tests.

It forwards every request to the node, except that it can answer the first
`reject_bulk` bulk requests with 429, and it can be shut down to make the
node unreachable in the middle of a run (connections refused from then on).
"""
import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class EsProxy:
    def __init__(self, upstream: str, reject_bulk: int = 0, close_after_bulk: int = 0):
        self.upstream = urlsplit(upstream)
        self.reject_bulk = reject_bulk            # answer this many bulk requests with 429
        self.close_after_bulk = close_after_bulk  # shut down after forwarding this many (0: never)
        self.bulk_seen = self.bulk_forwarded = self.rejected = 0
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # one request per connection: a shut-down proxy refuses the next

            def log_message(self, *args):
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                bulk = "/_bulk" in self.path
                with proxy.lock:
                    if bulk:
                        proxy.bulk_seen += 1
                        reject = proxy.rejected < proxy.reject_bulk
                        proxy.rejected += reject
                    else:
                        reject = False
                if reject:
                    payload = b'{"error":{"type":"es_rejected_execution_exception","reason":"test proxy"},"status":429}'
                    self.send_response(429)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("X-Elastic-Product", "Elasticsearch")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                response = conn.getresponse()
                data = response.read()
                self.send_response(response.status)
                for key, value in response.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()
                if bulk:
                    with proxy.lock:
                        proxy.bulk_forwarded += 1
                        close = proxy.close_after_bulk and proxy.bulk_forwarded >= proxy.close_after_bulk
                    if close:
                        threading.Thread(target=proxy.stop, daemon=True).start()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._stopped = False

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        if not self._stopped:
            self._stopped = True
            self.server.shutdown()
            self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
