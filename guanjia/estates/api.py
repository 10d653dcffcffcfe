from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets

from guanjia.estates.models import Estate, Unit
from guanjia.estates.selectors import unit_search
from guanjia.org.selectors import estates_for_user


class EstateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Estate
        fields = ["id", "code", "name", "kind", "city", "address"]


class UnitSerializer(serializers.ModelSerializer):
    estate = serializers.SlugRelatedField(slug_field="code", read_only=True)
    building = serializers.CharField(source="building.name", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "estate", "building", "code", "entrance", "floor", "number", "area", "use"]


class EstateViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"\d+"
    serializer_class = EstateSerializer

    def get_queryset(self):
        return estates_for_user(self.request.user).order_by("code")


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="房屋编码，如 3-2-1102"),
        OpenApiParameter("estate", int, description="项目 ID"),
    ]
)
class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff: the units of their estates. Owners: only the units they live in."""

    lookup_value_regex = r"\d+"
    serializer_class = UnitSerializer

    def get_queryset(self):
        estate = self.request.query_params.get("estate")
        return unit_search(
            user=self.request.user,
            q=self.request.query_params.get("q", ""),
            estate_id=int(estate) if estate and estate.isdigit() else None,
        )
