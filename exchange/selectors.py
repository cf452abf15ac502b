from ncen.models import Administration

from .models import SharingPolicy


def sharing_policy(*, administration: Administration) -> SharingPolicy:
    """The administration's policy; the defaults (unsaved) until its administrator sets one."""
    policy = SharingPolicy.objects.filter(administration=administration).first()
    return policy or SharingPolicy(administration=administration)
