class ServiceError(Exception):
    """A write refused for a reason the user can fix. ``field`` names where the problem is."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        self.message = message
        self.field = field
        self.code = code
        super().__init__(f"{field}: {message}" if field else message)
