# A network call (to fetch answers, or to send the notebook somewhere): must fail in the sandbox.
import socket
import urllib.request

try:
    urllib.request.urlopen("http://example.com", timeout=5)
except OSError as err:
    print("no web:", err)
socket.create_connection(("1.1.1.1", 53), timeout=5).close()
