from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail_on_commit(*, user, template: str, context: dict) -> None:
    """E-mail ``user`` once the current transaction commits, in their administration's
    language. ``template`` names ``templates/mail/<template>_subject.txt`` and ``_body.txt``."""
    if not user.email:
        return
    with translation.override(user.administration.default_language):
        context = {"user": user, **context}
        subject = render_to_string(f"mail/{template}_subject.txt", context).strip()
        body = render_to_string(f"mail/{template}_body.txt", context)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    )
