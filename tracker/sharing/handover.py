"""A one-time secret (a new link's token, an invitation code) carried to the next
page in a cookie, so the server never keeps it."""


def hand_over(request, response, name, secret, *, path):
    """A one-time secret for the next page only: a signed cookie for that page's path,
    unreadable by scripts, gone with the browser session, and good for ten minutes
    and this account only (the salt), so another login on a shared browser can't read it."""
    response.set_signed_cookie(
        name, secret, salt=f"{path}:{request.user.pk}", path=path,
        secure=request.is_secure(), httponly=True, samesite="Strict",
    )  # fmt: skip


def take_over(request, response, name):
    """The secret hand_over() left for this page, once: the cookie goes with this response."""
    salt = f"{request.path}:{request.user.pk}"
    secret = request.get_signed_cookie(name, default=None, salt=salt, max_age=600)
    response.delete_cookie(name, path=request.path)
    return secret
