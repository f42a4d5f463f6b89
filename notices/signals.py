"""The notices layer's hook for the layers above."""

from django.dispatch import Signal

# Sent inside the transaction that publishes, edits or withdraws a notice, with `notice`, so that
# what the layers above keep of it (feed's search vector) changes in the same transaction.
notice_changed = Signal()
