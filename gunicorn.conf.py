"""gunicorn's settings for Zhaoshang, read from the working directory (`gunicorn zhaoshang.wsgi`).

等保: the `Server` header must not name the server software and its version. gunicorn writes its
module-level SERVER into every response (gunicorn.http.wsgi imported it at start), so both are
replaced here, before any worker answers.
"""

from __future__ import annotations

import gunicorn
import gunicorn.http.wsgi

SERVER_NAME = "zhaoshang"
gunicorn.SERVER = SERVER_NAME
gunicorn.SERVER_SOFTWARE = SERVER_NAME
gunicorn.http.wsgi.SERVER = SERVER_NAME
gunicorn.http.wsgi.SERVER_SOFTWARE = SERVER_NAME
