"""Django set up for the bench scripts, and the app names they share (one place to follow a move)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimportal.settings")

import django  # noqa: E402

django.setup()

from feed.models import FeedEntry  # noqa: E402, F401
from moderation.models import Submission  # noqa: E402, F401
