"""One exception tree for the protocol package."""


class ProtocolError(Exception):
    """Base class of every error the protocol package raises on purpose."""


class CatalogueError(ProtocolError):
    """The signal catalogue data is inconsistent; lists every problem found."""


class EncodeError(ProtocolError):
    """A value or message cannot be put on the wire (wrong type, out of range, unknown name)."""


class DecodeError(ProtocolError):
    """A payload or topic was refused; `reason` says why in one line.

    The decoder raises only this, whatever the input, and never returns a partial message.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AuthenticationError(DecodeError):
    """A vehicle message whose MAC is missing or does not verify with the vehicle's key.

    A DecodeError like any refusal, so a receiver that only counts refusals still refuses it;
    its own class lets a receiver count forgeries apart from broken payloads.
    """
