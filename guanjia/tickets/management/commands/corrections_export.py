"""`guanjia corrections_export > corrections.jsonl`, then `guanjia triage retrain --corrections corrections.jsonl`."""

import json

from django.core.management.base import BaseCommand

from guanjia.tickets.services.labels import corrections_as_training_rows


class Command(BaseCommand):
    help = "导出客服更正过的分诊标签（JSONL），供 guanjia triage retrain --corrections 使用"

    def handle(self, *args, **options):
        for row in corrections_as_training_rows():
            self.stdout.write(json.dumps(row, ensure_ascii=False))
