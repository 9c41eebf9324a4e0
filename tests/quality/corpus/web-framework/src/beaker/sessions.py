from itsdangerous import BadSignature, URLSafeTimedSerializer


class SecureCookieSessionInterface:
    """Store the session in a cookie signed with the app's ``secret_key``."""

    salt = "cookie-session"
    digest_method = "sha1"

    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        return URLSafeTimedSerializer(app.secret_key, salt=self.salt,
                                      signer_kwargs={"key_derivation": "hmac", "digest_method": self.digest_method})

    def open_session(self, app, request):
        s = self.get_signing_serializer(app)
        if s is None:
            return None
        val = request.cookies.get(app.config["SESSION_COOKIE_NAME"])
        if not val:
            return {}
        try:
            return s.loads(val, max_age=int(app.permanent_session_lifetime.total_seconds()))
        except BadSignature:
            return {}
