from rest_framework import serializers

from ..models import Delivery, Notification


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = ["channel", "status", "not_before", "attempts", "sent_at", "error"]


class NotificationSerializer(serializers.ModelSerializer):
    deliveries = DeliverySerializer(many=True, read_only=True, help_text="各渠道投递状态")
    is_read = serializers.BooleanField(read_only=True, help_text="是否已读")

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "link",
            "created_at",
            "read_at",
            "is_read",
            "deliveries",
        ]
        read_only_fields = fields
