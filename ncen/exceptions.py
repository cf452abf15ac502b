from django.utils.translation import gettext as _


class ConflictError(Exception):
    """Someone else saved the record since it was read; nothing was overwritten.

    Pages show the message; the API answers 409 with it."""

    def __init__(self, *, current_version: int):
        self.current_version = current_version
        super().__init__(
            _(
                "Someone else saved this record while you were editing it (it is now at "
                "version %(version)d). Nothing was overwritten: reload it to see their changes, "
                "then make yours again."
            )
            % {"version": current_version}
        )


class TransitionRefused(Exception):
    """The record's status does not allow this step (approving a draft, withdrawing a record
    that was never approved...); nothing was changed.

    Pages show the message; the API answers 409 with it."""
