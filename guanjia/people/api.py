from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from guanjia.people.models import Resident
from guanjia.people.selectors import resident_search
from guanjia.people.services import REVEALABLE_FIELDS, resident_reveal


class ResidentSerializer(serializers.ModelSerializer):
    """Personal data leaves the API masked; POST …/reveal/ returns it in clear, audited."""

    estate = serializers.SlugRelatedField(slug_field="code", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    units = serializers.SerializerMethodField()

    class Meta:
        model = Resident
        fields = ["id", "estate", "name", "phone", "id_number", "is_vip", "lives_alone_elderly", "units"]

    def get_units(self, obj: Resident) -> list[dict]:
        return [{"unit": o.unit.code, "relation": o.relation} for o in getattr(obj, "current_occupancies", [])]


class RevealSerializer(serializers.Serializer):
    fields = serializers.ListField(child=serializers.ChoiceField(choices=REVEALABLE_FIELDS), min_length=1)
    reason = serializers.CharField(max_length=200)


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="姓名、拼音首字母、手机尾号或房屋编码"),
        OpenApiParameter("estate", int, description="项目 ID"),
    ]
)
class ResidentViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"\d+"
    serializer_class = ResidentSerializer

    def get_queryset(self):
        estate = self.request.query_params.get("estate")
        return resident_search(
            user=self.request.user,
            q=self.request.query_params.get("q", ""),
            estate_id=int(estate) if estate and estate.isdigit() else None,
        )

    @extend_schema(request=RevealSerializer, responses={200: dict})
    @action(detail=True, methods=["post"])
    def reveal(self, request, pk=None):
        resident = self.get_object()
        body = RevealSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            values = resident_reveal(
                user=request.user,
                resident=resident,
                fields=body.validated_data["fields"],
                reason=body.validated_data["reason"],
                channel="api",
                request=request,
            )
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from None
        except ValidationError as error:
            raise ApiValidationError(error.messages) from None
        return Response(values, status=status.HTTP_200_OK)
