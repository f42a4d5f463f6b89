"""Email through the job queue: `send_mail` anywhere stores a job, the worker talks to SMTP.

EMAIL_BACKEND is `QueuedEmailBackend`, so callers need no change; `email_deliver` (run by
`manage.py jobs_worker`) sends with EMAIL_DELIVERY_BACKEND, and a failure is retried later.
"""

import base64
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django_tasks import task

SerializedEmail = dict[str, Any]


def email_serialize(message: EmailMessage) -> SerializedEmail:
    """The message as JSON-safe data (a job's arguments)."""
    attachments = []
    for attachment in message.attachments:
        if not isinstance(attachment, tuple):
            raise TypeError("queued email supports (filename, content, mimetype) attachments only")
        filename, content, mimetype = attachment
        raw = content.encode() if isinstance(content, str) else content
        attachments.append([filename, base64.b64encode(raw).decode("ascii"), mimetype])
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": dict(message.extra_headers),
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": attachments,
    }


def email_deserialize(data: SerializedEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data["from_email"],
        to=data["to"],
        cc=data["cc"],
        bcc=data["bcc"],
        reply_to=data["reply_to"],
        headers=data["headers"],
    )
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    for filename, content, mimetype in data["attachments"]:
        message.attach(filename, base64.b64decode(content), mimetype)
    return message


@task()
def email_deliver(message: SerializedEmail) -> None:
    """Send one queued message; an error (server down, timeout) fails the job, which is retried."""
    connection = get_connection(settings.EMAIL_DELIVERY_BACKEND, fail_silently=False)
    connection.send_messages([email_deserialize(message)])


class QueuedEmailBackend(BaseEmailBackend):
    """Stores one delivery job per message; inside a transaction, the job commits with it."""

    def send_messages(self, email_messages) -> int:
        queued = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                email_deliver.enqueue(email_serialize(message))
            except Exception:
                if not self.fail_silently:
                    raise
                continue
            queued += 1
        return queued
