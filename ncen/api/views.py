from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..filters import AuditEntryFilterSet, UserFilterSet
from ..views.access import site_url
from .permissions import IsAdministrator
from .serializers import (
    AuditEntryOutput,
    MeOutput,
    TaskRunOutput,
    TokenOutput,
    UserCreateInput,
    UserDeactivateInput,
    UserOutput,
    UserUpdateInput,
)


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Users of the administrator's own administration."""

    permission_classes = [IsAdministrator]
    serializer_class = UserOutput
    filterset_class = UserFilterSet

    def get_queryset(self):
        return selectors.user_list(user=self.request.user)

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data, context={"request": self.request})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _output(self, user, code=status.HTTP_200_OK):
        return Response(
            UserOutput(selectors.user_get(user=self.request.user, pk=user.pk)).data, code
        )

    @extend_schema(request=UserCreateInput, responses={201: UserOutput})
    def create(self, request):
        """Invite a user: the account is created and its owner e-mailed a link to set a
        password."""
        user = services.user_invite(
            by=request.user, site_url=site_url(request), **self._input(UserCreateInput)
        )
        return self._output(user, status.HTTP_201_CREATED)

    @extend_schema(request=UserUpdateInput, responses=UserOutput)
    def update(self, request, pk=None):
        """Change a user's name, e-mail, role or office (all fields required)."""
        user = services.user_update(
            by=request.user, user=self.get_object(), **self._input(UserUpdateInput)
        )
        return self._output(user)

    @extend_schema(request=UserDeactivateInput, responses=UserOutput)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        data = UserDeactivateInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_deactivate(
            by=request.user, user=self.get_object(), reason=data.validated_data["reason"]
        )
        return self._output(user)

    @extend_schema(request=None, responses=UserOutput)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk=None):
        return self._output(services.user_reactivate(by=request.user, user=self.get_object()))

    @extend_schema(request=None, responses=UserOutput)
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request, pk=None):
        """Void the password and e-mail the user a link to choose a new one."""
        user = services.user_password_reset(
            by=request.user, user=self.get_object(), site_url=site_url(request)
        )
        return self._output(user)


class AuditEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The administration's audit trail, newest first."""

    permission_classes = [IsAdministrator]
    serializer_class = AuditEntryOutput
    filterset_class = AuditEntryFilterSet
    lookup_field = "sequence"

    def get_queryset(self):
        return selectors.audit_entry_list(user=self.request.user)


class TaskRunViewSet(viewsets.ReadOnlyModelViewSet):
    """Background tasks the user started (all of the administration's, for administrators)."""

    serializer_class = TaskRunOutput

    def get_queryset(self):
        return selectors.task_run_list(user=self.request.user)


class MeView(APIView):
    @extend_schema(responses=MeOutput)
    def get(self, request):
        """The signed-in user."""
        return Response(MeOutput(request.user).data)


class MeTokenView(APIView):
    @extend_schema(request=None, responses={201: TokenOutput})
    def post(self, request):
        """Issue a new API token for the signed-in user; any earlier token stops working."""
        token = services.api_token_rotate(user=request.user)
        return Response({"token": token.key}, status=status.HTTP_201_CREATED)
