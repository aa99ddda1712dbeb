"""Backup and restore drill: back the county up, destroy it, restore it, and find every row as it was.

Runs on whichever database the suite runs on (SQLite here, PostgreSQL in .ci/run's second pass).
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test.utils import override_settings

from zhaoshang.core import audit, backup
from zhaoshang.demo.county import build_demo_county

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "promotion").mkdir(parents=True)
    (settings.MEDIA_ROOT / "promotion" / "推介材料.pdf").write_bytes(b"%PDF-1.7 \x00\x01 material")
    return Path(settings.MEDIA_ROOT)


@pytest.mark.parametrize("portable", [False, True], ids=["native", "portable"])
def test_backup_destroy_restore_gives_back_every_row_and_file(
    tmp_path: Path, media: Path, portable: bool
) -> None:
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        build_demo_county(enterprises=False)
    before = backup.fingerprint()
    assert sum(count for count, _ in before.values()) > 100
    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), *(["--portable"] if portable else []), stdout=out)
    assert "已备份到" in out.getvalue()

    call_command("flush", interactive=False, verbosity=0)
    (media / "promotion" / "推介材料.pdf").unlink()
    (media / "stray.txt").write_text("恢复后不应留下")
    assert backup.fingerprint() != before

    call_command("restore", str(archive), yes=True, stdout=out)
    after = backup.fingerprint()
    mismatches = sorted(t for t in before.keys() | after.keys() if before.get(t) != after.get(t))
    assert mismatches == []
    assert (media / "promotion" / "推介材料.pdf").read_bytes() == b"%PDF-1.7 \x00\x01 material"
    assert not (media / "stray.txt").exists()
    assert audit.verify().ok


def _rewrite(archive: Path, target: Path, change: dict[str, bytes | None]) -> None:
    """Copy the archive, replacing (bytes) or dropping (None) members, or adding new ones."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else b""  # type: ignore[union-attr]
            if member.name in change:
                if change[member.name] is None:
                    continue
                data = change[member.name] or b""
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
        for name, data in change.items():
            if data is not None and name not in src.getnames():
                info = tarfile.TarInfo(name)
                info.size = len(data)
                dst.addfile(info, io.BytesIO(data))


def test_a_tampered_backup_is_refused_and_nothing_is_replaced(tmp_path: Path, media: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    backup.create(archive)
    member = backup.verify(archive)["database"]["member"]
    cases = {
        "changed.tar.gz": ({"media/promotion/推介材料.pdf": b"%PDF-1.7 forged"}, "校验值与清单不符"),
        "extra.tar.gz": ({"media/evil.sh": b"rm -rf /"}, "清单以外的文件"),
        "missing.tar.gz": ({member: None}, "缺少"),
        "nomanifest.tar.gz": ({backup.MANIFEST: None}, "没有清单"),
    }
    for name, (change, message) in cases.items():
        _rewrite(archive, tmp_path / name, change)
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(tmp_path / name), yes=True)
    (tmp_path / "broken.tar.gz").write_bytes(archive.read_bytes()[:200])
    with pytest.raises(CommandError, match="损坏|无法读取"):
        call_command("restore", str(tmp_path / "broken.tar.gz"), yes=True)
    assert (media / "promotion" / "推介材料.pdf").exists()
    out = io.StringIO()
    call_command("restore", str(archive), check=True, stdout=out)
    assert "备份完好" in out.getvalue()
