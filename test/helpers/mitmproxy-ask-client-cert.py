"""
mitmproxy addon for the tests: make mitmproxy ask the client for a
certificate and name only its own CA as acceptable, as an intercepting
proxy configured to request client certificates does. mitmproxy 8.1
(Debian bookworm) has no option for it: its own create_client_proxy_context
takes request_client_cert, which tlsconfig always passes as False.
"""
from OpenSSL import crypto
from mitmproxy import ctx
from mitmproxy.net import tls as net_tls

_original = net_tls.create_client_proxy_context


def _asking(*args, **kwargs):
    kwargs["request_client_cert"] = True
    context = _original(*args, **kwargs)
    with open(f"{ctx.options.confdir}/mitmproxy-ca-cert.pem", "rb") as f:
        ca = crypto.load_certificate(crypto.FILETYPE_PEM, f.read())
    context.set_client_ca_list([ca.get_subject()])
    return context


net_tls.create_client_proxy_context = _asking
