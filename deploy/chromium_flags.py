"""How every headless Chromium of the project is started: the PDF commands and the browser tests.

Without these flags Chromium keeps dialling outside hosts (updates, sync,
field trials), which an intranet machine must not do.
"""

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
