"""The partner feed API (协同单位信用数据接口): read-only, partner tokens only, every read logged.

    GET /api/credit/feed/changes/?cursor=<version>&limit=<n>    失信/限消 变更
    GET /api/credit/feed/voluntary/?cursor=<version>&limit=<n>  自动履行（守信）名录
    GET /api/credit/feed/reads/                                 本单位的读取记录

docs/credit-feed.md explains the sync loop to partners.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api_schema import error_responses
from common.network import client_ip

from ..models import BoundRole, CreditChange, FeedRead, FeedScope, Grade
from . import selectors
from .auth import HasPartnerScope, PartnerRateThrottle, PartnerTokenAuthentication
from .services import feed_read_record

# --- query -------------------------------------------------------------------------------


class CursorQuerySerializer(serializers.Serializer):
    cursor = serializers.IntegerField(
        min_value=0,
        default=0,
        help_text=_("上次同步返回的 next_cursor；首次同步为 0（读取全部历史变更）"),
    )
    limit = serializers.IntegerField(
        min_value=1,
        max_value=selectors.MAX_PAGE,
        default=selectors.DEFAULT_PAGE,
        help_text=_("每页条数，1–1000，默认 500"),
    )


# --- responses (documentation and shape) -------------------------------------------------


class FeedPersonSerializer(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=BoundRole.choices,
        required=False,
        help_text=_("受约束身份：法定代表人 / 实际控制人 / 直接责任人员（仅 bound_persons）"),
    )
    name = serializers.CharField(help_text=_("姓名"))
    id_number_masked = serializers.CharField(
        allow_blank=True, help_text=_("身份证号码（脱敏，如 150********1234）")
    )
    id_number = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("完整身份证号码；仅当令牌具有 identity 范围时出现（未登记时为空）"),
    )


class FeedDebtorSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=["person", "organisation"], help_text=_("person 自然人 / organisation 单位")
    )
    name = serializers.CharField(help_text=_("姓名或单位名称"))
    sex = serializers.CharField(required=False, allow_blank=True, help_text=_("性别（自然人）"))
    age = serializers.IntegerField(required=False, allow_null=True, help_text=_("年龄（自然人）"))
    id_number_masked = serializers.CharField(
        required=False, allow_blank=True, help_text=_("身份证号码（脱敏）")
    )
    id_number = serializers.CharField(
        required=False, allow_blank=True, help_text=_("完整身份证号码（仅 identity 范围）")
    )
    credit_code = serializers.CharField(
        required=False, allow_blank=True, help_text=_("统一社会信用代码（单位）")
    )
    legal_representative = serializers.CharField(
        required=False, allow_blank=True, help_text=_("法定代表人或负责人（单位）")
    )


class FeedLiftingSerializer(serializers.Serializer):
    starts_on = serializers.DateField(help_text=_("单次解禁开始日期"))
    ends_on = serializers.DateField(help_text=_("单次解禁结束日期"))
    need = serializers.CharField(help_text=_("事由类别，如 就医"))


class FeedEntrySerializer(serializers.Serializer):
    debtor = FeedDebtorSerializer(help_text=_("被执行人"))
    bound_persons = FeedPersonSerializer(
        many=True, help_text=_("单位被执行人的限制同时约束的人员（法定代表人等）")
    )
    court = serializers.CharField(help_text=_("执行法院"))
    case_number = serializers.CharField(
        allow_blank=True, help_text=_("执行案号，如 （2025）蒙0602执123号")
    )
    basis_document_number = serializers.CharField(allow_blank=True, help_text=_("执行依据文号"))
    basis_issuing_body = serializers.CharField(allow_blank=True, help_text=_("作出执行依据的单位"))
    published_at = serializers.DateTimeField(allow_null=True, help_text=_("公布时间"))
    starts_on = serializers.DateField(allow_null=True, help_text=_("起始日期"))
    ends_on = serializers.DateField(
        allow_null=True, help_text=_("届满日期；null 表示至履行完毕之日")
    )
    ground = serializers.CharField(required=False, help_text=_("失信情形 1–6（仅失信名单）"))
    ground_label = serializers.CharField(required=False, help_text=_("失信情形（中文）"))
    grade = serializers.ChoiceField(
        choices=Grade.choices,
        required=False,
        help_text=_("失信等级：轻微 / 一般 / 严重（仅失信名单）"),
    )
    duty = serializers.CharField(required=False, help_text=_("生效法律文书确定的义务"))
    conduct = serializers.CharField(
        required=False, allow_blank=True, help_text=_("失信被执行人行为具体情形")
    )
    performance = serializers.CharField(required=False, allow_blank=True, help_text=_("履行情况"))
    basis = serializers.CharField(
        required=False, help_text=_("限制依据 missed_notice / listing（仅限制消费）")
    )
    reasons = serializers.CharField(
        required=False, allow_blank=True, help_text=_("限制消费理由（仅限制消费）")
    )
    one_time_liftings = FeedLiftingSerializer(
        many=True, required=False, help_text=_("已批准、尚未结束的单次解禁（仅限制消费）")
    )


class FeedChangeSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("变更版本号（游标），严格递增"))
    action = serializers.ChoiceField(
        choices=CreditChange.Action.choices,
        help_text=_("变更类型：公布 / 等级变更 / 更正 / 删除 / 屏蔽（信用修复）/ 单次解禁"),
    )
    kind = serializers.ChoiceField(
        choices=["listing", "restriction"], help_text=_("listing 失信名单 / restriction 限制消费")
    )
    key = serializers.CharField(help_text=_("条目标识，如 L123、R45；以此更新或删除本地副本"))
    in_force = serializers.BooleanField(
        help_text=_("该条目当前是否公布中：true 则以 entry 覆盖本地副本，false 则删除本地副本")
    )
    changed_at = serializers.DateTimeField(help_text=_("变更时间"))
    entry = FeedEntrySerializer(
        allow_null=True, help_text=_("条目的当前公布内容；in_force 为 false 时为 null")
    )


class ChangesPageSerializer(serializers.Serializer):
    cursor = serializers.IntegerField(help_text=_("本次请求的起始游标"))
    next_cursor = serializers.IntegerField(help_text=_("下一次请求使用的游标（保存它）"))
    has_more = serializers.BooleanField(help_text=_("是否还有更多变更（true 则立即继续请求）"))
    items = FeedChangeSerializer(many=True)


class FeedVoluntaryEntrySerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("姓名或单位名称"))
    court = serializers.CharField(help_text=_("登记法院"))
    basis_document = serializers.CharField(help_text=_("自动履行的生效法律文书"))
    case_number = serializers.CharField(allow_blank=True, help_text=_("案号（如有）"))
    duty = serializers.CharField(help_text=_("履行义务"))
    amount = serializers.CharField(
        allow_null=True, help_text=_('履行金额（元），字符串形式的十进制数，如 "95874.11"')
    )
    performed_on = serializers.DateField(help_text=_("履行日期"))


class FeedVoluntaryItemSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("变更版本号（游标）"))
    key = serializers.CharField(help_text=_("条目标识，如 V7"))
    in_force = serializers.BooleanField(help_text=_("是否公开中；false 则删除本地副本"))
    entry = FeedVoluntaryEntrySerializer(allow_null=True)


class VoluntaryPageSerializer(serializers.Serializer):
    cursor = serializers.IntegerField(help_text=_("本次请求的起始游标"))
    next_cursor = serializers.IntegerField(help_text=_("下一次请求使用的游标"))
    has_more = serializers.BooleanField(help_text=_("是否还有更多"))
    items = FeedVoluntaryItemSerializer(many=True)


class FeedReadSerializer(serializers.ModelSerializer):
    token = serializers.CharField(source="token.key_prefix", help_text=_("令牌前缀"))

    class Meta:
        model = FeedRead
        fields = ["id", "resource", "token", "cursor", "next_cursor", "count", "read_at"]


_CHANGES_EXAMPLE = {
    "cursor": 1200,
    "next_cursor": 1202,
    "has_more": False,
    "items": [
        {
            "version": 1201,
            "action": "published",
            "kind": "listing",
            "key": "L881",
            "in_force": True,
            "changed_at": "2025-06-03T09:12:00+08:00",
            "entry": {
                "debtor": {
                    "type": "person",
                    "name": "胡某某",
                    "sex": "男",
                    "age": 41,
                    "id_number_masked": "150********1234",
                },
                "bound_persons": [],
                "court": "通辽市科尔沁区人民法院",
                "case_number": "（2025）蒙0502执1234号",
                "basis_document_number": "（2024）蒙0502民初5678号",
                "basis_issuing_body": "通辽市科尔沁区人民法院",
                "published_at": "2025-06-03T09:12:00+08:00",
                "starts_on": "2025-06-03",
                "ends_on": None,
                "ground": "1",
                "ground_label": "有履行能力而拒不履行生效法律文书确定义务",
                "grade": "general",
                "duty": "支付修理费 12,000.00 元",
                "conduct": "有履行能力而拒不履行",
                "performance": "全部未履行",
            },
        },
        {
            "version": 1202,
            "action": "removed",
            "kind": "restriction",
            "key": "R77",
            "in_force": False,
            "changed_at": "2025-06-03T10:40:00+08:00",
            "entry": None,
        },
    ],
}


class _PartnerView(APIView):
    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [HasPartnerScope]
    throttle_classes = [PartnerRateThrottle]

    def _query(self, request):
        query = CursorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data

    def _answer(self, request, page, resource: str):
        feed_read_record(
            token=request.auth,
            resource=resource,
            cursor=page.cursor,
            next_cursor=page.next_cursor,
            count=len(page.items),
            client_ip=client_ip(request),
        )
        body = {
            "cursor": page.cursor,
            "next_cursor": page.next_cursor,
            "has_more": page.has_more,
            "items": page.items,
        }
        # the page is built as plain data by the selector (the serializers above document
        # it): running 1,000 items through nested DRF serializers cost more than the query
        return Response(body, headers={"Cache-Control": "no-store"})


class ChangesView(_PartnerView):
    partner_scope = None  # listings or restrictions: checked in get()

    @extend_schema(
        operation_id="credit_feed_changes",
        summary="失信被执行人/限制消费 变更（增量同步）",
        description=(
            "按游标增量读取已公布条目的全部变更：公布、等级变更、更正、删除、屏蔽（信用修复）、"
            "单次解禁。每条变更都附带该条目**当前**的状态：`in_force` 为 true 时以 `entry` "
            "覆盖本地副本，为 false 时删除本地副本（`entry` 为 null），因此已删除、已修复的人员"
            "不会留在本地副本中。保存 `next_cursor`，`has_more` 为 true 时立即继续请求。"
            "令牌须具有 listings 或 restrictions 范围，只返回范围内的种类；identity 范围另给完整"
            "身份证号码。每次读取都被记录（单位、令牌、游标、条数、时间、来源地址）。\n\n"
            "Incremental sync from a cursor: every change to a published entry, each with the "
            "entry's current state. `in_force: true` → upsert `entry` under `key`; "
            "`in_force: false` → delete `key`. Keep `next_cursor`; continue while `has_more`."
        ),
        parameters=[CursorQuerySerializer],
        responses={200: ChangesPageSerializer, **error_responses(400, 401, 403, 429)},
        examples=[
            OpenApiExample(
                "一页变更（公布一条失信，删除一条限消）",
                value=_CHANGES_EXAMPLE,
                response_only=True,
            )
        ],
        tags=["credit-feed"],
    )
    def get(self, request):
        scopes = request.auth.scopes
        if FeedScope.LISTINGS not in scopes and FeedScope.RESTRICTIONS not in scopes:
            self.permission_denied(request, message=HasPartnerScope.message)
        query = self._query(request)
        page = selectors.changes_page(scopes=scopes, cursor=query["cursor"], size=query["limit"])
        return self._answer(request, page, FeedRead.Resource.CHANGES)


class VoluntaryView(_PartnerView):
    partner_scope = FeedScope.VOLUNTARY

    @extend_schema(
        operation_id="credit_feed_voluntary",
        summary="自动履行（守信）名录（增量同步）",
        description=(
            "守信激励：未经强制执行即自动履行生效法律文书的当事人名录，按游标增量读取，"
            "规则同变更接口（`in_force` 为 false 时删除本地副本）。令牌须具有 voluntary 范围。\n\n"
            "The register of voluntary performers, synced the same way as the changes."
        ),
        parameters=[CursorQuerySerializer],
        responses={200: VoluntaryPageSerializer, **error_responses(400, 401, 403, 429)},
        examples=[
            OpenApiExample(
                "一条自动履行登记",
                value={
                    "cursor": 0,
                    "next_cursor": 15,
                    "has_more": False,
                    "items": [
                        {
                            "version": 15,
                            "key": "V7",
                            "in_force": True,
                            "entry": {
                                "name": "张某某",
                                "court": "通辽市科尔沁区人民法院",
                                "basis_document": "（2025）蒙0502民初321号民事调解书",
                                "case_number": "",
                                "duty": "支付继承份额",
                                "amount": "95874.11",
                                "performed_on": "2025-05-20",
                            },
                        }
                    ],
                },
                response_only=True,
            )
        ],
        tags=["credit-feed"],
    )
    def get(self, request):
        query = self._query(request)
        page = selectors.voluntary_page(
            scopes=request.auth.scopes, cursor=query["cursor"], size=query["limit"]
        )
        return self._answer(request, page, FeedRead.Resource.VOLUNTARY)


class ReadsView(_PartnerView):
    partner_scope = None

    @extend_schema(
        operation_id="credit_feed_reads",
        summary="本单位的读取记录",
        description=(
            "本单位令牌最近的读取记录（最新在前，最多 100 条；`before` 为上一页最后一条的 id），"
            "供对账。只能看到本单位的记录。\n\nYour own agency's read log, newest first."
        ),
        parameters=[
            OpenApiParameter(
                "before",
                int,
                required=False,
                description="只返回 id 小于该值的记录（翻页）",
            )
        ],
        responses={200: FeedReadSerializer(many=True), **error_responses(400, 401, 403, 429)},
        tags=["credit-feed"],
    )
    def get(self, request):
        raw = request.query_params.get("before", "")
        if raw and (not raw.isascii() or not raw.isdigit()):
            raise serializers.ValidationError({"before": [_("请填写正整数。")]})
        rows = selectors.reads_for_agency(request.auth.agency_id, before=int(raw) if raw else None)
        data = FeedReadSerializer(rows, many=True).data
        feed_read_record(
            token=request.auth,
            resource=FeedRead.Resource.READS,
            cursor=int(raw or 0),
            next_cursor=rows[-1].pk if rows else 0,
            count=len(rows),
            client_ip=client_ip(request),
        )
        return Response(data, headers={"Cache-Control": "no-store"})
