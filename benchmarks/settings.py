"""Settings for benchmarks only: the project's own settings plus one URL, the bare page.

`bench_pages.py` serves the app with these so the yardstick runs in the same gunicorn, the
same processes and the same middleware as the pages it is compared with. Never used by
`manage.py`, `config/wsgi.py` or a deployment: nothing outside benchmarks/ names it.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"

# Static URLs without the manifest: no `collectstatic` per run (over a minute on a loaded
# 2-core machine). A manifest lookup is one dict read per {% static %}, the same at every
# size, so the ratios do not change; the files themselves are never requested.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
