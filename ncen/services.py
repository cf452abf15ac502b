"""Every write of the core: sign-in protection, user management, second factor, tokens.

Each service checks its caller's rights inside its transaction and writes its audit entry
there too.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from . import audit
from .audit import Action
from .mail import send_templated_mail_on_commit
from .models import Notification, Office, SignInFailure, User
from .tasking import enqueue

# Fields an administrator may change, and which the audit entries show.
USER_AUDIT_FIELDS = ("username", "first_name", "last_name", "email", "role", "office", "is_active")


# --- Sign-in protection ------------------------------------------------------------------


def signin_is_locked(*, username: str, ip_address: str | None) -> bool:
    """Too many recent failures for this account, or from this address."""
    since = timezone.now() - settings.NCEN_SIGNIN_LOCKOUT
    recent = SignInFailure.objects.filter(created_at__gte=since)
    account_failures = recent.annotate(lower=Lower("username")).filter(lower=username.lower())
    if account_failures.count() >= settings.NCEN_SIGNIN_FAILURE_LIMIT:
        return True
    if ip_address is None:
        return False
    return (
        recent.filter(ip_address=ip_address).count() >= settings.NCEN_SIGNIN_ADDRESS_FAILURE_LIMIT
    )


@transaction.atomic
def signin_record_failure(*, username: str, ip_address: str | None, locked: bool) -> None:
    SignInFailure.objects.create(username=username[:150], ip_address=ip_address)
    user = User.objects.filter(username__iexact=username).select_related("administration").first()
    audit.record(
        action=Action.SIGN_IN_LOCKED if locked else Action.SIGN_IN_FAILED,
        administration=user.administration if user else None,
        target=user,
        after={"username": username[:150]},
    )


@transaction.atomic
def signin_record_success(*, user: User) -> None:
    SignInFailure.objects.filter(username__iexact=user.username).delete()
    audit.record(action=Action.SIGN_IN, actor=user, target=user)


def signout_record(*, user: User) -> None:
    audit.record(action=Action.SIGN_OUT, actor=user, target=user)


# --- Second factor -----------------------------------------------------------------------


def second_factor_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


@transaction.atomic
def second_factor_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed device whose QR code the enrolment page shows; one per user."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name=_("Authenticator app"), confirmed=False
    )


def _check_throttle(device: TOTPDevice) -> None:
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        raise ValidationError(
            {"token": _("Too many wrong codes. Wait a minute before you try again.")}
        )


def second_factor_enrolment_confirm(*, user: User, token: str) -> TOTPDevice:
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is not None:
            _check_throttle(device)
        confirmed = device is not None and device.verify_token(token)
        if confirmed:
            # A new enrolment replaces any earlier device.
            TOTPDevice.objects.filter(user=user, confirmed=True).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        audit.record(
            action=Action.SECOND_FACTOR_ENROLLED if confirmed else Action.SECOND_FACTOR_FAILED,
            actor=user,
            target=user,
        )
    if not confirmed:
        raise ValidationError({"token": _("That code is not right. Check the time on your phone.")})
    return device


def second_factor_verify(*, user: User, token: str) -> TOTPDevice:
    device = second_factor_device(user=user)
    if device is None:
        raise ValidationError({"token": _("You have no authenticator app enrolled.")})
    _check_throttle(device)
    with transaction.atomic():
        verified = device.verify_token(token)
        audit.record(
            action=Action.SECOND_FACTOR_VERIFIED if verified else Action.SECOND_FACTOR_FAILED,
            actor=user,
            target=user,
        )
    if not verified:
        raise ValidationError({"token": _("That code is not right.")})
    return device


# --- API tokens ----------------------------------------------------------------------------


@transaction.atomic
def api_token_rotate(*, user: User) -> Token:
    """Replace the user's API token; the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit.record(action=Action.API_TOKEN_ROTATED, actor=user, target=user)
    return token


# --- User management -----------------------------------------------------------------------


def _lock_manageable_user(*, by: User, user_id: int) -> User:
    """Re-read the user inside the transaction, through the visibility choke point."""
    if not by.is_administrator:
        raise PermissionDenied(_("Only administrators manage users."))
    try:
        return User.objects.visible_to(by).select_for_update().get(pk=user_id)
    except User.DoesNotExist:
        raise PermissionDenied(_("You cannot manage this user.")) from None


def _check_office(*, by: User, office: Office | None) -> None:
    if office is not None and office.administration_id != by.administration_id:
        raise ValidationError({"office": _("Choose an office of your administration.")})


def password_set_link(*, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("ncen:password_set", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def user_invite(
    *,
    by: User,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    office: Office | None,
    site_url: str,
) -> User:
    """Create a user of ``by``'s administration and e-mail them a link to set a password."""
    if not by.is_administrator:
        raise PermissionDenied(_("Only administrators manage users."))
    _check_office(by=by, office=office)
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        office=office,
        administration=by.administration,
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    audit.record(
        action=Action.USER_INVITED,
        actor=by,
        target=user,
        after=audit.snapshot(user, USER_AUDIT_FIELDS),
    )
    send_templated_mail_on_commit(
        user=user,
        template="invitation",
        context={"link": site_url + password_set_link(user=user), "by": by},
    )
    return user


@transaction.atomic
def user_update(
    *,
    by: User,
    user: User,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    office: Office | None,
) -> User:
    user = _lock_manageable_user(by=by, user_id=user.pk)
    if user.pk == by.pk and role != by.role:
        raise ValidationError({"role": _("You cannot change your own role.")})
    _check_office(by=by, office=office)
    before = audit.snapshot(user, USER_AUDIT_FIELDS)
    user.email, user.first_name, user.last_name = email, first_name, last_name
    user.role, user.office = role, office
    user.full_clean()
    user.save()
    after = audit.snapshot(user, USER_AUDIT_FIELDS)
    if after != before:
        audit.record(action=Action.USER_UPDATED, actor=by, target=user, before=before, after=after)
    return user


@transaction.atomic
def user_deactivate(*, by: User, user: User, reason: str) -> User:
    user = _lock_manageable_user(by=by, user_id=user.pk)
    if user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the account is deactivated.")})
    if not user.is_active:
        return user
    user.is_active = False
    user.save(update_fields=["is_active"])
    Token.objects.filter(user=user).delete()
    audit.record(
        action=Action.USER_DEACTIVATED,
        actor=by,
        target=user,
        before={"is_active": True},
        after={"is_active": False},
        reason=reason.strip(),
    )
    return user


@transaction.atomic
def user_reactivate(*, by: User, user: User) -> User:
    user = _lock_manageable_user(by=by, user_id=user.pk)
    if user.is_active:
        return user
    user.is_active = True
    # A reactivated account starts a new period of use.
    user.last_login = timezone.now()
    user.inactivity_warned_at = None
    user.save(update_fields=["is_active", "last_login", "inactivity_warned_at"])
    audit.record(
        action=Action.USER_REACTIVATED,
        actor=by,
        target=user,
        before={"is_active": False},
        after={"is_active": True},
    )
    return user


@transaction.atomic
def user_password_reset(*, by: User, user: User, site_url: str) -> User:
    """Void the user's password and e-mail them a link to choose a new one."""
    user = _lock_manageable_user(by=by, user_id=user.pk)
    if not user.email:
        raise ValidationError(_("This user has no e-mail address to send the link to."))
    user.set_unusable_password()
    user.save(update_fields=["password"])
    Token.objects.filter(user=user).delete()
    audit.record(action=Action.USER_PASSWORD_RESET, actor=by, target=user)
    send_templated_mail_on_commit(
        user=user,
        template="password_reset",
        context={"link": site_url + password_set_link(user=user), "by": by},
    )
    return user


@transaction.atomic
def password_set(*, user: User, form) -> User:
    """Save a password chosen through an invitation or reset link (``form`` is Django's
    SetPasswordForm, already valid)."""
    form.save()
    audit.record(action=Action.PASSWORD_SET, actor=user, target=user)
    return user


# --- Unused accounts ---------------------------------------------------------------------


def deactivation_due(*, last_used):
    return last_used + timedelta(days=settings.NCEN_INACTIVITY_DAYS)


def unused_accounts_deactivate(*, site_url: str) -> dict:
    """Warn owners of accounts nearing the inactivity limit; deactivate those past it."""
    now = timezone.now()
    deactivate_before = now - timedelta(days=settings.NCEN_INACTIVITY_DAYS)
    warn_before = deactivate_before + timedelta(days=settings.NCEN_INACTIVITY_WARNING_DAYS)
    candidates = (
        User.objects.filter(is_active=True, is_superuser=False)
        .annotate(last_used=Coalesce("last_login", "date_joined"))
        .filter(last_used__lt=warn_before)
        .select_related("administration")
    )
    deactivated = warned = 0
    for user in candidates.iterator():
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            last_used = locked.last_login or locked.date_joined
            if not locked.is_active or last_used >= warn_before:
                continue  # signed in since the list was read
            if last_used < deactivate_before:
                locked.is_active = False
                locked.save(update_fields=["is_active"])
                Token.objects.filter(user=locked).delete()
                audit.record(
                    action=Action.USER_DEACTIVATED_UNUSED,
                    administration=user.administration,
                    target=locked,
                    before={"is_active": True},
                    after={"is_active": False},
                    reason=_("Not used for %(days)d days.")
                    % {"days": settings.NCEN_INACTIVITY_DAYS},
                )
                deactivated += 1
            elif locked.inactivity_warned_at is None or locked.inactivity_warned_at < last_used:
                locked.inactivity_warned_at = now
                locked.save(update_fields=["inactivity_warned_at"])
                audit.record(
                    action=Action.USER_INACTIVITY_WARNED,
                    administration=user.administration,
                    target=locked,
                )
                locked.administration = user.administration
                send_templated_mail_on_commit(
                    user=locked,
                    template="inactivity_warning",
                    context={"due": deactivation_due(last_used=last_used), "site_url": site_url},
                )
                warned += 1
    return {"warned": warned, "deactivated": deactivated}


# --- Notifications -------------------------------------------------------------------------


def notify(
    *, recipients, kind: str, subject: str, link: str, actor: User | None, comment: str = ""
) -> list[Notification]:
    """Tell each recipient in the app now, and by e-mail from a worker once the transaction
    commits. Call it inside the transaction of the change it announces."""
    from .tasks import email_notification

    notifications = Notification.objects.bulk_create(
        Notification(
            recipient=recipient,
            kind=kind,
            subject=subject,
            link=link,
            comment=comment,
            actor=actor,
        )
        for recipient in recipients
    )
    for notification in notifications:
        # The administration's task, not the actor's: its administrators see failed e-mails
        # among the background tasks; the actor's home page is not filled with them.
        enqueue(
            email_notification,
            administration=notification.recipient.administration,
            notification_id=notification.pk,
        )
    return notifications


def notification_email(*, notification_id: int, site_url: str) -> dict:
    """E-mail one notification, once: a retry after the mail left does not send it again."""
    notification = (
        Notification.objects.select_related("recipient__administration", "actor")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.recipient.is_active:
        return {"sent": False}
    # Outside a transaction, so the helper sends at once and a failure leaves the
    # notification unsent for the retry.
    send_templated_mail_on_commit(
        user=notification.recipient,
        template="notification",
        context={"notification": notification, "link": site_url + notification.link},
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return {"sent": True}


def notifications_mark_read(*, user: User, among=None) -> int:
    """Mark ``user``'s unread notifications as read (only those whose ids ``among``, a list
    or a query of ids, holds, if given); returns how many."""
    unread = Notification.objects.visible_to(user).filter(read_at__isnull=True)
    if among is not None:
        unread = unread.filter(pk__in=among)
    return unread.update(read_at=timezone.now())
