"""Fill empty msgstr entries of a .po file from a JSON dictionary {msgid: msgstr}.

Used when adding UI strings: `makemessages`, then add the new pairs to the dictionary
`src/zhaoshang/locale/zh_Hans/terms.json` and run this. Prints the msgids still untranslated.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ENTRY = re.compile(
    r'(?P<head>(?:#.*\n)*)msgid (?P<id>"(?:[^"\\]|\\.)*"(?:\n"(?:[^"\\]|\\.)*")*)\n'
    r'(?:msgid_plural (?P<plural>"(?:[^"\\]|\\.)*"(?:\n"(?:[^"\\]|\\.)*")*)\n)?'
    r'(?P<strs>(?:msgstr(?:\[\d\])? "(?:[^"\\]|\\.)*"(?:\n"(?:[^"\\]|\\.)*")*\n?)+)'
)


def unquote(block: str) -> str:
    return "".join(json.loads(line) for line in block.split("\n") if line.startswith('"'))


def quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def main(po_path: str, terms_path: str) -> int:
    terms: dict[str, str] = json.loads(Path(terms_path).read_text(encoding="utf-8"))
    text = Path(po_path).read_text(encoding="utf-8")
    # msgmerge marks a fresh header fuzzy, which would make msgfmt drop the charset and plural rule.
    text = text.replace('#, fuzzy\nmsgid ""\nmsgstr ""', 'msgid ""\nmsgstr ""', 1)
    missing: list[str] = []

    def fill(m: re.Match[str]) -> str:
        msgid = unquote(m["id"])
        if not msgid:
            return m.group(0)
        strs = m["strs"]
        fuzzy = "#, fuzzy" in m["head"]
        if not fuzzy and any(
            unquote(s) for s in re.findall(r'msgstr(?:\[\d\])? ((?:"(?:[^"\\]|\\.)*"\n?)+)', strs)
        ):
            return m.group(0)
        if msgid not in terms:
            missing.append(msgid)
            return m.group(0)
        # A fuzzy guess from msgmerge is replaced by the dictionary's entry, with its "previous" lines.
        head = "".join(
            line for line in m["head"].splitlines(keepends=True) if not line.startswith(("#, fuzzy", "#|"))
        )
        out = f"{head}msgid {m['id']}\n"
        if m["plural"]:
            out += f"msgid_plural {m['plural']}\nmsgstr[0] {quote(terms[msgid])}\n"
        else:
            out += f"msgstr {quote(terms[msgid])}\n"
        return out

    Path(po_path).write_text(ENTRY.sub(fill, text), encoding="utf-8")
    for msgid in missing:
        print("untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
