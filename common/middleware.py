from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Chinese unless the user chose another language (the language cookie).

    The browser's Accept-Language is ignored on purpose: court and community PCs often run
    English-language browsers, and the portal's working language is Chinese.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; `Cache-Control: no-store` on every API answer
    and on every page a signed-in user sees (they show personal data: a shared court or
    community PC must not keep them in its cache). Static files are served before this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if request.path.startswith("/api/") or signed_in:
            add_never_cache_headers(response)
        return response
