"""The backup drill on the whole demo county: back up, destroy (flush), restore, compare every table.

Prints tables=… rows=… mismatches=0 (tables whose row count or row checksum differ) and seconds=…
(backup plus restore). Uploaded files go to a temporary MEDIA_ROOT, never the local var/media.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

NAME = "restore"


def run() -> dict[str, float | int | str]:
    from django.core.management import call_command
    from django.test.utils import override_settings

    from zhaoshang.core import audit, backup
    from zhaoshang.demo.county import build_demo_county, demo_exists

    with tempfile.TemporaryDirectory(prefix="zhaoshang-drill-") as tmp:
        media = Path(tmp) / "media"
        (media / "promotion").mkdir(parents=True)
        for n in range(20):
            (media / "promotion" / f"材料{n}.pdf").write_bytes(b"%PDF-1.7 " + bytes(range(256)) * (n + 1))
        with override_settings(
            MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ):
            if not demo_exists():
                build_demo_county()
            before = backup.fingerprint()
            archive = Path(tmp) / "drill.tar.gz"
            started = time.monotonic()
            backup.create(archive)
            backup_seconds = time.monotonic() - started
            call_command("flush", interactive=False, verbosity=0)
            for path in media.rglob("*.pdf"):
                path.unlink()
            started = time.monotonic()
            backup.restore(archive)
            restore_seconds = time.monotonic() - started
            after = backup.fingerprint()
            files_back = sum(1 for _ in media.rglob("*.pdf"))
            chain = audit.verify()
            size = archive.stat().st_size
    mismatches = sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
    for table in mismatches:
        print("   不一致：", table, before.get(table), after.get(table), flush=True)
    failures = len(mismatches) + (0 if chain.ok else 1) + (0 if files_back == 20 else 1)
    return {
        "tables": len(before),
        "rows": sum(count for count, _ in before.values()),
        "files": files_back,
        "archive_bytes": size,
        "mismatches": len(mismatches),
        "audit_chain_ok": int(chain.ok),
        "backup_seconds": round(backup_seconds, 1),
        "restore_seconds": round(restore_seconds, 1),
        "seconds": round(backup_seconds + restore_seconds, 1),
        "failures": failures,
    }
