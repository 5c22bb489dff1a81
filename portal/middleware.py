"""Every page the portal renders is kept out of browser and proxy caches.

Nearly every page shows payroll data or settings with credentials (domains, runs, documents, the
settings pages), and a page that does not is cheap to render again: one rule for all is the rule that
cannot be forgotten on a new page. Static files never reach this (WhiteNoise answers them first).
"""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private
        return response
