"""The resident's rating link as an API (no login): GET shows what is rated, POST rates.

Same services as the /r/<token>/ page: the link works once, expires, and an unknown, used
or expired link answers 410 with the reason. Throttled per client address."""

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from cases import services
from cases.limits import COMMENT_MAX_LENGTH
from common.api_schema import ErrorSerializer


class RatingLinkGone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_code = "rating_link_invalid"


class RatingLinkThrottle(AnonRateThrottle):
    scope = "rating_link"


class RatedDisputeSerializer(serializers.Serializer):
    """What the resident sees: no names, no personal data."""

    reference = serializers.CharField()
    category = serializers.CharField()
    category_display = serializers.CharField(source="get_category_display")
    registered_at = serializers.DateTimeField()


class RatingLinkSerializer(serializers.Serializer):
    dispute = RatedDisputeSerializer()
    expires_at = serializers.DateTimeField()
    scores = serializers.ListField(
        child=serializers.IntegerField(), help_text="5 满意、3 基本满意、1 不满意"
    )


class RatingSubmitSerializer(serializers.Serializer):
    score = serializers.ChoiceField(choices=[5, 3, 1], help_text="5 满意、3 基本满意、1 不满意")
    comment = serializers.CharField(
        max_length=COMMENT_MAX_LENGTH, required=False, allow_blank=True, default=""
    )


class RatingResultSerializer(serializers.Serializer):
    satisfied = serializers.BooleanField()


GONE = {410: OpenApiResponse(ErrorSerializer, description="链接无效、已使用或已过期")}


class RatingLinkView(APIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = [RatingLinkThrottle]

    def _rating(self, token):
        try:
            return services.rating_for_token(token)
        except services.RatingLinkInvalid as exc:
            raise RatingLinkGone(exc.message) from exc

    @extend_schema(auth=[], responses={200: RatingLinkSerializer, **GONE})
    def get(self, request, token):
        rating = self._rating(token)
        return Response(
            RatingLinkSerializer(
                {"dispute": rating.dispute, "expires_at": rating.expires_at, "scores": [5, 3, 1]}
            ).data
        )

    @extend_schema(
        auth=[], request=RatingSubmitSerializer, responses={200: RatingResultSerializer, **GONE}
    )
    def post(self, request, token):
        serializer = RatingSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self._rating(token)
        try:
            with transaction.atomic():
                rating = services.rating_submit(token=token, **serializer.validated_data)
        except services.RatingLinkInvalid as exc:
            raise RatingLinkGone(exc.message) from exc
        return Response({"satisfied": rating.satisfied})
