"""The site's Content-Security-Policy: one strict policy for every page, sent by the server (serveconf.py) and
repeated in a `<meta http-equiv>` in each page (main.html) for hosts that cannot set headers.

No page has an inline script, style element, style attribute or event handler: Material's inline bootstraps
are files (generator/render/theme/partials/javascripts/, theme/assets/md-*.js), so no hash or nonce is needed and the
policy is the same for every page and every build. `'wasm-unsafe-eval'` lets Pagefind's WebAssembly search
run (it allows compiling WebAssembly only, not JavaScript eval). Material's icons are data: URIs in its CSS.
"""

from __future__ import annotations

#: directive -> sources; the order is the order written.
POLICY: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self' 'wasm-unsafe-eval'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}

#: Directives a browser ignores (and warns about in the console) when the policy comes from a <meta>.
HEADER_ONLY = {"frame-ancestors", "report-uri", "sandbox"}


def header() -> str:
    """The policy as the Content-Security-Policy response header."""
    return "; ".join(f"{k} {v}" for k, v in POLICY.items())


def meta() -> str:
    """The policy for `<meta http-equiv="Content-Security-Policy">` (without the header-only directives)."""
    return "; ".join(f"{k} {v}" for k, v in POLICY.items() if k not in HEADER_ONLY)
