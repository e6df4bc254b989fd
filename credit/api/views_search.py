"""GET /api/credit/search/?q=张伟 — the staff credit search (credit/search.py) as JSON."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api_schema import error_responses

from ..search import LIMIT, credit_search


class CreditSearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="listing（失信） or restriction（限制消费）")
    id = serializers.IntegerField()
    debtor = serializers.IntegerField(help_text="cases.Party id: /api/credit/debtors/{debtor}/")
    debtor_name = serializers.CharField()
    debtor_id_masked = serializers.CharField()
    debtor_credit_code = serializers.CharField()
    court = serializers.CharField()
    case_number = serializers.CharField()
    publication = serializers.CharField()
    in_scope = serializers.BooleanField(
        help_text="a record of the caller's courts (its own endpoint answers); otherwise a "
        "published entry of another court"
    )


class CreditSearchResultSerializer(serializers.Serializer):
    query = serializers.CharField()
    more = serializers.BooleanField(help_text=f"more than {LIMIT} matched: refine the query")
    results = CreditSearchHitSerializer(many=True)


class CreditSearchView(APIView):
    """Listings and restrictions by name (at least 2 characters, any part of the name) or by
    a full ID number: the caller's courts in full, other courts' published entries; exact
    names first, at most 50. 404 for users outside the courts."""

    @extend_schema(
        parameters=[OpenApiParameter("q", str, required=True, description="姓名/名称或身份证号码")],
        responses={200: CreditSearchResultSerializer, **error_responses(400, 404)},
    )
    def get(self, request):
        try:
            result = credit_search(request.user, request.query_params.get("q", ""))
        except ValidationError as exc:
            raise APIValidationError(exc.message_dict) from exc
        rows = [
            {
                "kind": hit.kind,
                "id": hit.record.pk,
                "debtor": hit.record.debtor_id,
                "debtor_name": hit.record.debtor_name,
                "debtor_id_masked": hit.record.debtor_id_masked,
                "debtor_credit_code": hit.record.debtor_credit_code,
                "court": hit.record.court.name,
                "case_number": hit.record.case.case_number,
                "publication": hit.record.publication,
                "in_scope": hit.in_scope,
            }
            for hit in result.hits
        ]
        data = {"query": result.query, "more": result.more, "results": rows}
        return Response(CreditSearchResultSerializer(data).data)
