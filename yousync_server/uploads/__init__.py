"""Checks at the edge of the upload and webhook routes, as plain functions:

    validated = await validate_upload(upload_file)        # 413 / 415 / 422 as UploadRejected
    webhooks.verify(secrets, request.headers.get(webhooks.SIGNATURE_HEADER), raw_body)
    idempotency.check_key(header) / fingerprint(...) / store.claim(scope, key, fp)
"""

from yousync_server.uploads.validation import (MAX_UPLOAD_BYTES, BodySizeLimit, UploadRejected,
                                               ValidatedUpload, safe_file_name, validate_upload)

__all__ = ["BodySizeLimit", "MAX_UPLOAD_BYTES", "UploadRejected", "ValidatedUpload",
           "safe_file_name", "validate_upload"]
