from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from ncen.api.permissions import IsAdministrator

from .. import selectors, services
from .serializers import SharingDecisionInput, SharingPolicyInput, SharingPolicyOutput


class SharingPolicyView(APIView):
    """The administration's sharing policy: what may go to the regional exchange and the
    decision supervisors start from. Everyone of the administration reads it; its
    administrators change it."""

    def get_permissions(self):
        if self.request.method == "PUT":
            return [IsAdministrator()]
        return super().get_permissions()

    def _output(self):
        policy = selectors.sharing_policy(administration=self.request.user.administration)
        return Response(SharingPolicyOutput(policy).data)

    @extend_schema(summary="Your administration's sharing policy", responses=SharingPolicyOutput)
    def get(self, request):
        return self._output()

    @extend_schema(
        summary="Change the sharing policy (administrators)",
        request=SharingPolicyInput,
        responses={200: SharingPolicyOutput, 400: OpenApiResponse(description="Invalid input.")},
    )
    def put(self, request):
        data = SharingPolicyInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.sharing_policy_update(
            by=request.user,
            regional_fields=data.validated_data["regional_fields"],
            decision=SharingDecisionInput.decision(data.validated_data),
        )
        return self._output()
