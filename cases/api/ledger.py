"""GET /api/cases/ledger/: the screening ledger (矛盾纠纷排查台账) as JSON."""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api_schema import error_responses
from organisations.selectors import organisation_get_for_user

from ..ledger import LEDGER_FIGURES, Period, ledger_by_branch, ledger_figures


class LedgerQuerySerializer(serializers.Serializer):
    organisation = serializers.IntegerField(
        required=False,
        help_text="单位 id，统计该单位及其全部下级单位；缺省为当前用户的主要单位。",
    )
    start = serializers.DateField(
        required=False, help_text="统计期间起始日（含），北京时间；缺省为本月1日。"
    )
    end = serializers.DateField(
        required=False, help_text="统计期间结束日（不含），北京时间；缺省为明天。"
    )

    def validate(self, attrs):
        today = timezone.localdate()
        attrs.setdefault("start", today.replace(day=1))
        attrs.setdefault("end", today + datetime.timedelta(days=1))
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": ["结束日期须晚于起始日期。"]})
        return attrs


class FiguresSerializer(serializers.Serializer):
    stock = serializers.IntegerField(help_text="存量：期初之前登记、期初时尚未销号")
    new = serializers.IntegerField(help_text="增量：本期登记")
    screened = serializers.IntegerField(help_text="排查 = 存量 + 增量")
    changed = serializers.IntegerField(
        help_text="变量：本期内有退回、交卷退回、不满意重办、督办、打包、打包上报、移交或再次研判的纠纷"
    )
    resolved = serializers.IntegerField(help_text="化解：本期内交卷确认化解")
    closed = serializers.IntegerField(help_text="销号：本期内闭环销号")
    in_progress = serializers.IntegerField(help_text="在办：期末尚未化解、尚未销号")
    overdue = serializers.IntegerField(help_text="超期：期末在办且超过办结期限")
    resolution_rate = serializers.CharField(
        allow_null=True, help_text="化解率（%），化解 ÷ 排查，一位小数；分母为 0 时为 null"
    )
    resolution_rate_display = serializers.CharField(help_text="如“99.1%”，分母为 0 时为“—”")


class BranchSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(help_text="下级单位 id（本级为本单位 id）")
    organisation_name = serializers.CharField()
    is_own = serializers.BooleanField(help_text="是否为本级（本单位自身登记的纠纷）")
    figures = FiguresSerializer()


class LedgerSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    organisation_name = serializers.CharField()
    start = serializers.DateField(help_text="起始日（含）")
    end = serializers.DateField(help_text="结束日（不含）")
    figures = FiguresSerializer()
    links = serializers.DictField(
        child=serializers.CharField(), help_text="每个数字背后的纠纷清单页面地址"
    )
    branches = BranchSerializer(many=True, help_text="按直属下级单位（各含其下级）分列")


class LedgerAPIView(APIView):
    """The screening ledger for an organisation subtree and a period [start, end).

    Organisations outside the caller's scope answer 404.
    """

    @extend_schema(
        parameters=[LedgerQuerySerializer],
        # An organisation outside the caller's scope answers 404, like any outsider's id.
        responses={200: LedgerSerializer, **error_responses(404)},
    )
    def get(self, request):
        query = LedgerQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        organisation_id = query.validated_data.get("organisation")
        if organisation_id is None:
            organisation = request.user.primary_organisation
            if organisation is None:
                raise serializers.ValidationError({"organisation": ["请指定单位。"]})
            organisation_id = organisation.pk
        organisation = organisation_get_for_user(request.user, organisation_id)
        period = Period.from_dates(query.validated_data["start"], query.validated_data["end"])
        figures = ledger_figures(request.user, organisation, period)
        drill = reverse("case_reports:ledger_disputes")
        params = {
            "organisation": organisation.pk,
            "start": period.start_date,
            "end": period.end_date,
        }
        data = {
            "organisation": organisation.pk,
            "organisation_name": organisation.name,
            "start": period.start_date,
            "end": period.end_date,
            "figures": figures.as_dict(),
            "links": {
                name: request.build_absolute_uri(f"{drill}?{urlencode({**params, 'figure': name})}")
                for name in (*LEDGER_FIGURES, "screened", "in_progress", "overdue")
            },
            "branches": [
                {
                    "organisation": unit.pk,
                    "organisation_name": unit.name,
                    "is_own": is_own,
                    "figures": unit_figures.as_dict(),
                }
                for unit, is_own, unit_figures in ledger_by_branch(
                    request.user, organisation, period
                )
            ],
        }
        return Response(LedgerSerializer(data).data)
