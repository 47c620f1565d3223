"""A stand-in for ascension-api behind nginx in testsuite/ops/nginx_test.sh: answers every GET with
its instance name in X-Instance and echoes the path and forwarding headers it received as JSON;
answers a WebSocket handshake on /v1/ws with 101. Usage: fake_api.py PORT NAME"""
import base64
import hashlib
import http.server
import json
import sys

PORT, NAME = int(sys.argv[1]), sys.argv[2]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/v1/ws" and self.headers.get("Upgrade", "").lower() == "websocket":
            key = self.headers.get("Sec-WebSocket-Key", "")
            accept = base64.b64encode(hashlib.sha1(
                (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
            self.send_response(101)
            self.send_header("Upgrade", "websocket")
            self.send_header("Connection", "Upgrade")
            self.send_header("Sec-WebSocket-Accept", accept)
            self.send_header("X-Instance", NAME)
            self.end_headers()
            self.wfile.flush()
            self.close_connection = True
            return
        body = json.dumps({
            "instance": NAME, "path": self.path,
            "x_forwarded_for": self.headers.get("X-Forwarded-For"),
            "x_real_ip": self.headers.get("X-Real-IP"),
            "x_forwarded_proto": self.headers.get("X-Forwarded-Proto"),
            "x_request_id": self.headers.get("X-Request-Id"),
            "connection": self.headers.get("Connection"),
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Instance", NAME)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self):
        length = int(self.headers.get("Content-Length", "0"))
        remaining = length
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 1 << 16))
            if not chunk:
                break
            remaining -= len(chunk)
        body = json.dumps({"instance": NAME, "path": self.path, "host": self.headers.get("Host"),
                           "received": length - remaining}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("X-Instance", NAME)
        self.send_header("X-Seen-Host", self.headers.get("Host", ""))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
