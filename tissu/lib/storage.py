"""Where files that must never have a public address live.

Grant documents, council documents and the condition photos of loans hold personal or confidential data:
they are stored under ``PRIVATE_MEDIA_ROOT``, outside ``MEDIA_ROOT`` (which the web server publishes at
/media/), and only the permission-checked views of their apps read them back. The storage has no URL, so a
template cannot link to such a file by mistake.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT, with no URL: served only by permission-checked views."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL: serve them through a permission-checked view.")


private_storage = PrivateStorage()
