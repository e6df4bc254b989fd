"""Court case numbers (案号): format, normalise and read them.

Since 2016: （2026）蒙0302执123号 — year, court code (province abbreviation, +2 digits for an
intermediate court, +4 for a basic court), type (执, 执恢, 民特 …), sequence, 号. Before
2016: （2015）杭下执民字第2741号 — a Chinese court abbreviation and a type ending in 字, with
第. People type ASCII brackets, 〔〕 or [], spaces and full-width digits; the normalised key
makes every form find the same case.
"""

import re
from dataclasses import dataclass

_BRACKETS = str.maketrans({"(": "（", ")": "）", "〔": "（", "〕": "）", "[": "（", "]": "）",
                           "【": "（", "】": "）", "﹙": "（", "﹚": "）"})  # fmt: skip
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SPACES = re.compile(r"\s+")

_CURRENT = re.compile(
    r"^（(?P<year>\d{4})）(?P<court>[\u4e00-\u9fff](?:\d{2}|\d{4})?)"
    r"(?P<type>[\u4e00-\u9fff]{1,4}?)(?P<sequence>\d+)号$"
)
# the old type starts with its trial-line character (执, 民, 刑 …), which is how "民勤民初字"
# splits into the court 民勤 and the type 民初字
_PRE_2016 = re.compile(
    r"^（(?P<year>\d{4})）(?P<court>[\u4e00-\u9fff]+?)"
    r"(?P<type>[执民刑行商知赔破督特认监][\u4e00-\u9fff]*?字)第(?P<sequence>\d+)号$"
)


@dataclass(frozen=True)
class CaseNumber:
    year: int
    court_code: str
    case_type: str
    sequence: int
    pre_2016: bool = False

    def __str__(self):
        if self.pre_2016:
            return f"（{self.year}）{self.court_code}{self.case_type}第{self.sequence}号"
        return case_number_format(
            year=self.year, court_code=self.court_code, case_type=self.case_type,
            sequence=self.sequence,
        )  # fmt: skip


def case_number_format(*, year: int, court_code: str, case_type: str, sequence: int) -> str:
    return f"（{year}）{court_code}{case_type}{sequence}号"


def case_number_normalise(text: str) -> str:
    """One spelling for search and uniqueness: full-width brackets, ASCII digits, no spaces."""
    text = (text or "").translate(_BRACKETS).translate(_FULLWIDTH_DIGITS)
    return _SPACES.sub("", text)


def case_number_parse(text: str) -> CaseNumber | None:
    """The parts of a case number in either era, or None if it is not one."""
    key = case_number_normalise(text)
    match = _PRE_2016.match(key)
    if match:
        return CaseNumber(
            year=int(match["year"]), court_code=match["court"], case_type=match["type"],
            sequence=int(match["sequence"]), pre_2016=True,
        )  # fmt: skip
    match = _CURRENT.match(key)
    if match:
        return CaseNumber(
            year=int(match["year"]), court_code=match["court"], case_type=match["type"],
            sequence=int(match["sequence"]),
        )  # fmt: skip
    return None
