from rest_framework.routers import DefaultRouter

from guanjia.estates.api import EstateViewSet, UnitViewSet
from guanjia.people.api import ResidentViewSet
from guanjia.tickets.api import CallbackViewSet, TicketViewSet

router = DefaultRouter()
router.register("estates", EstateViewSet, basename="estate")
router.register("units", UnitViewSet, basename="unit")
router.register("residents", ResidentViewSet, basename="resident")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("callbacks", CallbackViewSet, basename="callback")
