"""Backup and restore: the database and the uploaded files in one .tar.gz with a checksum manifest.

The database is copied exactly (ids, the audit chain, every table): SQLite with its online backup
API (a consistent copy while the server runs), PostgreSQL with `pg_dump` in its custom format (from
PATH, else the newest /usr/lib/postgresql/*/bin); where no `pg_dump` exists, or with `--portable`
(to move to another engine), Django's `dumpdata` of every app as XML (JSON would cut datetimes to
milliseconds). `manifest.json` names every member with its SHA-256; a restore refuses an archive
whose members do not match it, or which holds anything the manifest does not name.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections

FORMAT = 1
MANIFEST = "manifest.json"


class BackupProblem(Exception):
    """A backup that cannot be made or restored, with a message for the operator (Chinese)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pg_tool(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return candidates[-1] if candidates else None


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["-h", db.get("HOST") or "localhost", "-U", db.get("USER") or "postgres"]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _dump_database(folder: Path, portable: bool = False) -> tuple[str, str]:
    """Write the database into `folder`; returns (member name, method). Portable: dumpdata, for another engine."""
    vendor = connection.vendor
    if vendor == "sqlite" and not portable:
        target = folder / "database.sqlite3"
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        dest = sqlite3.connect(str(target))
        with dest:
            source.backup(dest)
        dest.close()
        source.close()
        return target.name, "sqlite"
    if vendor == "postgresql" and pg_tool("pg_dump") and not portable:
        target = folder / "database.pgdump"
        args, env = _pg_env()
        name = str(connection.settings_dict["NAME"])
        command = [
            str(pg_tool("pg_dump")),
            *args,
            "-Fc",
            "--no-owner",
            "--no-privileges",
            "-f",
            str(target),
            name,
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True)  # noqa: S603  # no shell; arguments from settings
        if done.returncode != 0:
            raise BackupProblem(f"pg_dump 失败：{done.stderr.strip()[:500]}")
        return target.name, "pg_dump"
    # XML, not JSON: Django's JSON encoder cuts datetimes to milliseconds, which the audit chain would not survive.
    target = folder / "database.xml"
    with target.open("w", encoding="utf-8") as out:
        call_command("dumpdata", "--all", "--format", "xml", stdout=out, verbosity=0)
    return target.name, "dumpdata"


def table_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # a table the database lists, quoted
            counts[table] = cursor.fetchone()[0]
    return counts


def fingerprint() -> dict[str, tuple[int, str]]:
    """Every table: its row count and a SHA-256 of its rows (sorted), to compare a restore with its source."""
    found = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608  # a listed table, quoted
            rows = sorted(
                repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)) for row in cursor
            )
            found[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return found


def create(archive: Path, portable: bool = False) -> dict[str, Any]:
    """Write the backup to `archive` (.tar.gz); returns its manifest."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="zhaoshang-backup-") as tmp:
        folder = Path(tmp)
        member, method = _dump_database(folder, portable)
        files = {member: _sha256(folder / member)}
        media_files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        for path in media_files:
            files["media/" + path.relative_to(media).as_posix()] = _sha256(path)
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "engine": connection.vendor,
            "database": {"member": member, "method": method},
            "tables": table_counts(),
            "files": files,
        }
        archive.parent.mkdir(parents=True, exist_ok=True)
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(folder / member, arcname=member)
            for path in media_files:
                tar.add(path, arcname="media/" + path.relative_to(media).as_posix())
        partial.replace(archive)  # a crash mid-way never leaves a truncated archive under the real name
    return manifest


def _checked(archive: Path, into: Path) -> dict[str, Any]:
    """Unpack `archive` into `into` and check every member against the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            names = [m.name for m in members if m.isfile()]
            if MANIFEST not in names:
                raise BackupProblem("备份文件中没有清单（manifest.json），不是本系统的备份，拒绝恢复。")
            if any(not (m.isfile() or m.isdir()) for m in members):
                raise BackupProblem("备份文件含有链接或特殊文件，拒绝恢复。")
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupProblem(f"备份文件已损坏或无法读取，拒绝恢复：{exc}") from None
    try:
        manifest = json.loads((into / MANIFEST).read_text(encoding="utf-8"))
        files: dict[str, str] = manifest["files"]
        member = manifest["database"]["member"]
    except (ValueError, KeyError, TypeError):
        raise BackupProblem("备份清单无法解析，拒绝恢复。") from None
    if manifest.get("format") != FORMAT:
        raise BackupProblem(f"备份格式版本 {manifest.get('format')} 与本系统（{FORMAT}）不符，拒绝恢复。")
    extra = sorted(set(names) - set(files) - {MANIFEST})
    if extra:
        raise BackupProblem(f"备份文件含有清单以外的文件（{'、'.join(extra[:5])}），可能被篡改，拒绝恢复。")
    for name, digest in sorted(files.items()):
        path = into / name
        if not path.is_file():
            raise BackupProblem(f"备份文件缺少 {name}，拒绝恢复。")
        if _sha256(path) != digest:
            raise BackupProblem(f"{name} 的校验值与清单不符，备份可能被篡改或损坏，拒绝恢复。")
    if member not in files:
        raise BackupProblem("备份清单未列出数据库文件，拒绝恢复。")
    return dict(manifest)


def verify(archive: Path) -> dict[str, Any]:
    """Check the archive without restoring it; returns its manifest."""
    with tempfile.TemporaryDirectory(prefix="zhaoshang-restore-") as tmp:
        return _checked(archive, Path(tmp))


def _restore_database(folder: Path, manifest: dict[str, Any]) -> None:
    method, member = manifest["database"]["method"], manifest["database"]["member"]
    engine = connection.vendor
    if {"sqlite": "sqlite", "pg_dump": "postgresql"}.get(method, engine) != engine:
        raise BackupProblem(f"这是 {manifest['engine']} 数据库的备份，不能恢复到 {engine} 数据库。")
    connections.close_all()
    if method == "sqlite":
        source = sqlite3.connect(str(folder / member))
        dest = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=30)
        with dest:
            source.backup(dest)
        dest.close()
        source.close()
    elif method == "pg_dump":
        tool = pg_tool("pg_restore")
        if tool is None:
            raise BackupProblem("找不到 pg_restore，无法恢复 PostgreSQL 备份。")
        args, env = _pg_env()
        name = str(connection.settings_dict["NAME"])
        command = [
            tool,
            *args,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
        ]
        done = subprocess.run(  # noqa: S603  # no shell; arguments from settings
            [*command, "-d", name, str(folder / member)], env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise BackupProblem(f"pg_restore 失败：{done.stderr.strip()[:500]}")
    else:
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        call_command("loaddata", str(folder / member), verbosity=0)
    connections.close_all()


def _restore_media(folder: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        for child in media.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    media.mkdir(parents=True, exist_ok=True)
    source = folder / "media"
    if source.is_dir():
        shutil.copytree(source, media, dirs_exist_ok=True)


def restore(archive: Path) -> dict[str, Any]:
    """Replace the database and the uploaded files with the archive's, once every checksum matches."""
    with tempfile.TemporaryDirectory(prefix="zhaoshang-restore-") as tmp:
        folder = Path(tmp)
        manifest = _checked(archive, folder)
        _restore_database(folder, manifest)
        _restore_media(folder)
    return manifest
