"""
mitmproxy addon for the tests: after mitmproxy has set up TLS towards the
client, ask the client for a certificate and name only mitmproxy's own CA
as acceptable, as an intercepting proxy configured to request client
certificates does. mitmproxy 8.1 (Debian bookworm) has no option for it.
"""
from OpenSSL import SSL, crypto
from mitmproxy import ctx


class AskForClientCertificate:
    def tls_start_client(self, data):
        if data.ssl_conn is None:
            return
        with open(f"{ctx.options.confdir}/mitmproxy-ca-cert.pem", "rb") as f:
            ca = crypto.load_certificate(crypto.FILETYPE_PEM, f.read())
        data.ssl_conn.get_context().set_client_ca_list([ca.get_subject()])
        data.ssl_conn.set_verify(SSL.VERIFY_PEER, lambda *args: True)


addons = [AskForClientCertificate()]
