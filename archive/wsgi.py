import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
application = get_wsgi_application()
# What start-up loaded lives as long as the process: frozen, it is left out of the
# garbage collector's full passes, which walked it on a request's time (40-150 ms each).
gc.freeze()
