from django.conf import settings


def client_ip(request):
    """The client's address, trusting exactly PROXY_COUNT proxies in front of the app.

    Each proxy appends the address it received the request from to X-Forwarded-For, so the
    client is PROXY_COUNT hops from the right of (X-Forwarded-For + REMOTE_ADDR); anything
    further left was written by the client and is not trusted."""
    remote = request.META.get("REMOTE_ADDR")
    if not settings.PROXY_COUNT:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    hops = [*forwarded, remote]
    return hops[-(settings.PROXY_COUNT + 1)] if len(hops) > settings.PROXY_COUNT else remote
