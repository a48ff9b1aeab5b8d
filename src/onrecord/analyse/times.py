"""Time expressions: find them and give them TIMEX3-style values against the publication date.

Detection joins spaCy's DATE/TIME entities with patterns of our own (weekdays, "last week",
"three years ago", "the third day of the invasion", clock times, frequencies). Normalisation is a
chain of small rules over the expression's words; dateparser handles the calendar dates it parses
well. Two promises hold throughout:

- news is about the past: a bare "Tuesday" or "March 3" is the latest one on or before publication,
  unless the clause is explicitly future ("will meet on Tuesday", "next Tuesday");
- nothing is guessed: without a publication date a relative expression keeps `value=None` (or a
  relative TIMEX3 value such as PRESENT_REF / P1Y) with `anchored=False`, and "the third day of the
  invasion" resolves only when the user names the anchor (Settings.anchors).
"""

from __future__ import annotations

import calendar
import re
import tomllib
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span

from onrecord.analyse.tokens import doc_text
from onrecord.model import TimeExpression

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}

# Prepositions looked at before an expression to give its relation (also stripped from its start).
_LEADING_WORDS = {"by", "before", "until", "till", "since", "after", "from", "during", "throughout",
                  "for", "over", "in", "on", "at", "of", "within", "around", "about", "as"}


@dataclass(frozen=True)
class Normalised:
    type: str  # DATE | TIME | DURATION | SET
    value: str | None
    anchored: bool  # resolved against the publication date or a named anchor


@lru_cache(maxsize=1)
def time_words() -> dict:
    with resources.files("onrecord.data").joinpath("time_words.toml").open("rb") as handle:
        return tomllib.load(handle)


# ---------------------------------------------------------------- small calendar helpers

def _iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _quarter(day: date) -> int:
    return (day.month - 1) // 3 + 1


def _number(word: str) -> int | str | None:
    """'3' -> 3, 'three' -> 3, 'several' -> 'X' (unknown count), else None."""
    word = word.lower().strip()
    if re.fullmatch(r"\d+(\.\d+)?", word):
        return int(float(word)) if float(word).is_integer() else word
    return time_words()["number"].get(word)


def _ordinal(word: str) -> int | None:
    word = word.lower()
    match = re.fullmatch(r"(\d+)(st|nd|rd|th)", word)
    if match:
        return int(match.group(1))
    return time_words()["ordinal"].get(word)


def _unit(word: str) -> str | None:
    return time_words()["unit"].get(word.lower().rstrip("s"))


def _duration(count: int | str, unit_word: str) -> str | None:
    """A TIMEX3 duration: (3, 'years') -> P3Y, (2, 'hours') -> PT2H, ('X', 'days') -> PXD."""
    unit = _unit(unit_word)
    if unit is None:
        return None
    size = time_words()["unit_size"].get(unit_word.lower().rstrip("s"), 1)
    if unit == "DE":  # TIMEX3 writes decades and centuries in years
        unit, size = "Y", size * 10
    elif unit == "CE":
        unit, size = "Y", size * 100
    amount = count if isinstance(count, str) else count * size
    clock = unit in ("H", "S") or (unit == "M" and unit_word.lower().startswith("minute"))
    return f"PT{amount}{unit}" if clock else f"P{amount}{unit}"


# ---------------------------------------------------------------- normalisation rules
# Each rule takes the lower-cased expression, the publication date (or None), the named anchors and
# whether the clause is explicitly future; it returns a Normalised or None to let the next one try.

_UNIT_WORDS = r"(?:second|minute|hour|day|night|week|weekend|fortnight|month|quarter|year|decade|century)"
_NUM = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted(time_words()["number"], key=len, reverse=True)) + ")"
_ORD = r"(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|" \
       r"eleventh|twelfth|last|final)"


def _rule_anchor(text, pub, anchors, future):
    """'the third day of the invasion', 'the beginning of the war': only through a named anchor."""
    match = re.fullmatch(rf"(?:the\s+)?(?:(?P<ord>{_ORD})\s+(?P<unit>day|week|month|year)|"
                         r"(?P<edge>beginning|start|outbreak|onset|first days?|eve|end|middle))\s+of\s+"
                         r"(?P<name>.+)", text)
    name = match.group("name") if match else text
    anchor = _anchor_date(name, anchors)
    if match is None:
        return Normalised("DATE", anchor.isoformat(), True) if anchor else None
    if _is_calendar_name(name):
        return None  # "the end of the year" is the calendar's, handled below
    if anchor is None:
        return Normalised("DATE", None, False)
    if match.group("edge"):
        edge = match.group("edge")
        day = anchor - timedelta(days=1) if edge == "eve" else anchor
        return Normalised("DATE", day.isoformat(), True) if edge != "end" else Normalised("DATE", None, False)
    count, unit = _ordinal(match.group("ord")), match.group("unit")
    if count is None or count < 1:
        return Normalised("DATE", None, False)
    if unit == "day":
        return Normalised("DATE", (anchor + timedelta(days=count - 1)).isoformat(), True)
    if unit == "week":
        return Normalised("DATE", _iso_week(anchor + timedelta(weeks=count - 1)), True)
    if unit == "month":
        year, month = _shift_month(anchor.year, anchor.month, count - 1)
        return Normalised("DATE", f"{year}-{month:02d}", True)
    return Normalised("DATE", str(anchor.year + count - 1), True)


def _anchor_date(name: str, anchors: dict[str, str]) -> date | None:
    wanted = _strip_article(name)
    for key, value in (anchors or {}).items():
        if _strip_article(key.lower()) == wanted:
            try:
                return date.fromisoformat(value)
            except ValueError:
                return None
    return None


def _strip_article(text: str) -> str:
    return re.sub(r"^(the|this|that)\s+", "", text.strip().lower())


def _is_calendar_name(name: str) -> bool:
    return bool(re.fullmatch(rf"(?:the|this|last|next|that)\s+{_UNIT_WORDS}|\d{{4}}|(?:{'|'.join(MONTHS)})"
                             r"(?:\s+\d{4})?|(?:this|last|next|the)\s+(?:fiscal\s+)?year", name))


def _rule_reference(text, pub, anchors, future):
    value = time_words()["reference"].get(text)
    return Normalised("DATE", value, False) if value else None


def _rule_day_offset(text, pub, anchors, future):
    words = time_words()
    text = re.sub(r"^(?:earlier|later)\s+", "", text)
    match = re.fullmatch(r"(?P<day>.+?)(?:\s+(?P<part>morning|afternoon|evening|night))?", text)
    offset = words["day_offset"].get(match.group("day"))
    if offset is None:
        return None
    part = words["part_of_day"].get(match.group("part") or ("tonight" if text == "tonight" else ""))
    if pub is None:
        return Normalised("TIME" if part else "DATE", None, False)
    day = (pub + timedelta(days=offset)).isoformat()
    return Normalised("TIME", f"{day}T{part}", True) if part else Normalised("DATE", day, True)


def _rule_part_of_day(text, pub, anchors, future):
    match = re.fullmatch(r"(?:this|that|the)\s+(morning|afternoon|evening|night)", text)
    if not match:
        return None
    part = time_words()["part_of_day"][match.group(1)]
    return Normalised("TIME", f"{pub.isoformat()}T{part}" if pub else None, pub is not None)


def _rule_weekday(text, pub, anchors, future):
    match = re.fullmatch(rf"(?:(?P<which>last|next|this|past|coming|on)\s+)?(?P<day>{'|'.join(WEEKDAYS)})s?"
                         r"(?:\s+(?P<part>morning|afternoon|evening|night))?", text)
    if not match:
        return None
    part = time_words()["part_of_day"].get(match.group("part") or "")
    kind = "TIME" if part else "DATE"
    if pub is None:
        return Normalised(kind, None, False)
    which = match.group("which")
    forward = which in ("next", "coming") or (future and which not in ("last", "past"))
    weekday = WEEKDAYS[match.group("day")]
    if forward:
        ahead = (weekday - pub.weekday()) % 7
        day = pub + timedelta(days=ahead or (7 if which == "next" else 0))
    else:
        back = (pub.weekday() - weekday) % 7
        day = pub - timedelta(days=back or (7 if which in ("last", "past") else 0))
    return Normalised(kind, day.isoformat() + (f"T{part}" if part else ""), True)


def _rule_range(text, pub, anchors, future):
    """'between 2014 and 2016', 'from 2009 to 2011' -> P2Y: the length of the stretch."""
    match = re.fullmatch(r"(?:(?:between|from)\s+)?(\d{4})\s+(?:and|to|until|-)\s+(\d{4})", text)
    if not match or int(match.group(2)) <= int(match.group(1)):
        return None
    return Normalised("DURATION", f"P{int(match.group(2)) - int(match.group(1))}Y", False)


def _rule_relative_unit(text, pub, anchors, future):
    """'last week' -> 2023-W10, 'this year' -> 2023, 'next month' -> 2023-04, 'last quarter' -> 2023-Q1."""
    text = re.sub(r"^(?:later|earlier|late|early)\s+(?=this|last|next)", "", text)
    match = re.fullmatch(r"(?P<which>last|next|this|past|previous|coming|current|the current|"
                         r"the previous|the coming|the same|the last)\s+(?:fiscal\s+)?"
                         r"(?P<unit>week|weekend|month|quarter|year|decade|century)", text)
    if not match:
        return None
    if pub is None:
        return Normalised("DATE", None, False)
    which = match.group("which").replace("the ", "")
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(which, 0)
    if match.group("unit") == "year" and match.group("which") == "the last":
        return None  # "the last year" is as often the twelve months before as the calendar year
    return Normalised("DATE", _calendar_unit(pub, match.group("unit"), step), True)


def _calendar_unit(pub: date, unit: str, step: int) -> str:
    if unit in ("week", "weekend"):
        value = _iso_week(pub + timedelta(weeks=step))
        return value + "-WE" if unit == "weekend" else value
    if unit == "month":
        year, month = _shift_month(pub.year, pub.month, step)
        return f"{year}-{month:02d}"
    if unit == "quarter":
        index = pub.year * 4 + _quarter(pub) - 1 + step
        return f"{index // 4}-Q{index % 4 + 1}"
    if unit == "decade":
        return str(pub.year // 10 + step)
    if unit == "century":
        return str(pub.year // 100 + step)
    return str(pub.year + step)


def _rule_weekend(text, pub, anchors, future):
    if text != "the weekend":
        return None
    return Normalised("DATE", _calendar_unit(pub, "weekend", 0), True) if pub else Normalised("DATE", None, False)


def _rule_year_edge(text, pub, anchors, future):
    """'the end of the year' -> YYYY-12-31 (a deadline needs a day); 'the beginning of 2020' -> 2020."""
    match = re.fullmatch(r"(?:the\s+)?(?P<edge>end|beginning|start|middle|first half|second half)\s+of\s+"
                         r"(?:(?P<which>the|this|last|next|that)\s+(?P<unit>year|month|week|quarter)|"
                         r"(?P<year>\d{4}))", text)
    if not match:
        return None
    edge = match.group("edge")
    if match.group("year"):
        year = int(match.group("year"))
        anchored = False
    elif pub is None:
        return Normalised("DATE", None, False)
    else:
        year, anchored = pub.year, True
    step = {"last": -1, "next": 1}.get(match.group("which") or "", 0)
    unit = match.group("unit") or "year"
    if unit == "year":
        year += step
        if edge == "end":
            return Normalised("DATE", f"{year}-12-31", anchored)
        if edge in ("first half", "second half"):
            return Normalised("DATE", f"{year}-H{1 if edge == 'first half' else 2}", anchored)
        return Normalised("DATE", str(year), anchored)
    value = _calendar_unit(pub, unit, step)
    if unit == "month" and edge == "end":
        y, m = (int(part) for part in value.split("-"))
        value = f"{value}-{calendar.monthrange(y, m)[1]:02d}"
    return Normalised("DATE", value, anchored)


def _rule_quarter(text, pub, anchors, future):
    match = re.fullmatch(r"(?:the\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|q[1-4])[\s-]+"
                         r"(?:fiscal\s+)?(?:quarter)?(?:\s+(?:of\s+)?(?:(?P<which>this|last|next|the)\s+year|"
                         r"(?:fiscal\s+)?(?P<year>\d{4})))?", text)
    if not match or ("quarter" not in text and not match.group("ord").startswith("q")):
        return None
    number = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
              "4th": 4}.get(match.group("ord"), None) or int(match.group("ord")[1])
    if match.group("year"):
        return Normalised("DATE", f"{match.group('year')}-Q{number}", False)
    if pub is None:
        return Normalised("DATE", None, False)
    year = pub.year + {"last": -1, "next": 1}.get(match.group("which") or "", 0)
    if match.group("which") is None and number > _quarter(pub) and not future:
        year -= 1  # a quarter still to come is news only when the clause says so
    return Normalised("DATE", f"{year}-Q{number}", True)


def _rule_ago(text, pub, anchors, future):
    """'three years ago' -> YYYY, 'a week ago' -> the day, 'two months earlier' -> YYYY-MM."""
    if re.fullmatch(rf"{_UNIT_WORDS}s\s+ago", text):
        return Normalised("DATE", "PAST_REF", False)
    match = re.fullmatch(rf"(?:about\s+|some\s+|nearly\s+|almost\s+|more than\s+)?(?P<n>{_NUM})[\s-]+"
                         rf"(?P<unit>{_UNIT_WORDS})s?\s+(?P<dir>ago|earlier|before|later|after|from now|hence)", text)
    if not match:
        return None
    count = _number(match.group("n"))
    sign = -1 if match.group("dir") in ("ago", "earlier", "before") else 1
    if count == "X":  # "several years ago": some time back, no date
        return Normalised("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", False)
    if pub is None or not isinstance(count, int):
        return Normalised("DATE", None, False)
    unit = match.group("unit")
    if unit in ("day", "night", "week", "fortnight"):
        days = count * {"day": 1, "night": 1, "week": 7, "fortnight": 14}[unit]
        return Normalised("DATE", (pub + timedelta(days=sign * days)).isoformat(), True)
    if unit == "month":
        year, month = _shift_month(pub.year, pub.month, sign * count)
        return Normalised("DATE", f"{year}-{month:02d}", True)
    if unit in ("year", "decade", "century"):
        years = count * {"year": 1, "decade": 10, "century": 100}[unit]
        return Normalised("DATE", str(pub.year + sign * years), True)
    return Normalised("TIME", None, False)


def _rule_stretch(text, pub, anchors, future):
    """'the past decade', 'the next six months', 'the past five trading days' -> a duration."""
    match = re.fullmatch(rf"the\s+(?:past|next|coming|following)\s+(?:(?P<n>{_NUM})\s+)?(?:\w+\s+)?"
                         rf"(?P<unit>{_UNIT_WORDS})s?", text)
    if not match:
        return None
    count = _number(match.group("n") or "1")
    return Normalised("DURATION", _duration(count if count is not None else "X", match.group("unit")), False)


def _rule_duration(text, pub, anchors, future):
    """'three years', 'the past nine days', 'a 20-year', 'recent years', 'several months' -> P3Y ..."""
    match = re.fullmatch(rf"(?:(?:the|a|an)\s+)?(?:(?:past|last|next|first|coming|previous|following|"
                         rf"entire|whole|full|nearly|almost|about|around|more than|less than|over|"
                         rf"at least|some|another|additional)\s+)*"
                         rf"(?:(?P<n>{_NUM})(?:\s+and\s+a\s+half)?[\s-]+)?(?:(?:consecutive|straight|"
                         rf"successive|full|long|trading|business|working)\s+)?(?P<unit>{_UNIT_WORDS})s?"
                         r"(?:\s+(?:long|old|period|history|term|run))?", text)
    if not match:
        match = re.fullmatch(rf"(?:recent|past|many|several|the past)\s+(?P<unit>{_UNIT_WORDS})s", text)
        if not match:
            return None
        return Normalised("DURATION", _duration("X", match.group("unit")), False)
    words = match.groupdict()
    if words.get("n") is None:
        if text.endswith("s") and not text.endswith("ss"):
            return Normalised("DURATION", _duration("X", words["unit"]), False)
        if re.fullmatch(r"(?:the\s+)?(?:entire|whole|full)\s+year", text) and pub:
            return Normalised("DATE", str(pub.year), True)
        if re.fullmatch(r"(?:a|an|the)?\s*\w*\s*" + words["unit"], text) and not text.startswith("the"):
            return Normalised("DURATION", _duration(1, words["unit"]), False)
        return None
    count = _number(words["n"])
    if count is None:
        return None
    if "and a half" in text and isinstance(count, int):
        count = f"{count}.5"
    return Normalised("DURATION", _duration(count, words["unit"]), False)


def _rule_set(text, pub, anchors, future):
    value = time_words()["set"].get(text)
    if value:
        return Normalised("SET", value, False)
    match = re.fullmatch(rf"(?:every|each|per|a|an)\s+(?:(?P<n>{_NUM})\s+)?(?P<unit>{_UNIT_WORDS})s?", text)
    if match and (text.split()[0] in ("every", "each", "per")):
        count = _number(match.group("n") or "1")
        return Normalised("SET", _duration(count if count is not None else 1, match.group("unit")), False)
    return None


def _rule_clock(text, pub, anchors, future):
    """'16:00 UTC', '6:40 p.m.', '0800 GMT' -> YYYY-MM-DDTHH:MM (Z when UTC/GMT)."""
    match = re.search(r"\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ampm>a\.?\s?m\.?|p\.?\s?m\.?)?"
                      r"(?:\s*\(?(?P<zone>utc|gmt|z)\b)?", text)
    military = re.search(r"\b(?P<h>[01]\d|2[0-3])(?P<m>[0-5]\d)\s*(?:hours|hrs|utc|gmt|z)\b", text)
    if military:
        hour, minute, ampm = int(military.group("h")), int(military.group("m")), None
        zone = re.search(r"\b(utc|gmt|z)\b", text)
    elif match and (match.group("m") or match.group("ampm")):
        hour, minute = int(match.group("h")), int(match.group("m") or 0)
        ampm, zone = match.group("ampm"), match.group("zone")
    else:
        return None
    if ampm and ampm.startswith("p") and hour < 12:
        hour += 12
    if ampm and ampm.startswith("a") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    day = _day_in(text, pub)
    clock = f"T{hour:02d}:{minute:02d}" + ("Z" if zone else "")
    return Normalised("TIME", f"{day.isoformat()}{clock}" if day else None, day is not None)


def _day_in(text: str, pub: date | None) -> date | None:
    """The day a clock time is on: a weekday or yesterday in the same words, else the publication day."""
    if pub is None:
        return None
    for word, offset in time_words()["day_offset"].items():
        if re.search(rf"\b{word}\b", text):
            return pub + timedelta(days=offset)
    for word, weekday in WEEKDAYS.items():
        if re.search(rf"\b{word}\b", text):
            return pub - timedelta(days=(pub.weekday() - weekday) % 7)
    return pub


def _rule_calendar(text, pub, anchors, future):
    """Explicit calendar dates: '2005', 'the 1990s', 'April 27, 2005', 'September', 'April 3', 'mid-2011'."""
    text = re.sub(r"^(?:early|late|mid|the\s+middle\s+of|the\s+end\s+of|the\s+start\s+of)[\s-]+", "", text)
    text = re.sub(r"^(?:the\s+)?(?:fiscal|fy)\s*(?=\d{4}$)", "", text)
    if re.fullmatch(r"\d{4}", text) and 1000 <= int(text) <= 2999:
        return Normalised("DATE", text, False)
    decade = re.fullmatch(r"(?:the\s+)?(?:(\d{3})0|'?(\d)0)'?s", text)
    if decade:
        if decade.group(1):
            return Normalised("DATE", decade.group(1), False)
        return Normalised("DATE", f"19{decade.group(2)}", False)
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if iso:
        return Normalised("DATE", text, False)
    month_names = "|".join(sorted(MONTHS, key=len, reverse=True))
    relative = re.fullmatch(rf"(?:(?P<which>last|next|this)\s+(?P<month>{month_names})|(?P<month2>{month_names})"
                            r"\s+(?:of\s+)?(?P<which2>last|next|this)\s+year)", text)
    if relative:
        if pub is None:
            return Normalised("DATE", None, False)
        month = MONTHS[relative.group("month") or relative.group("month2")]
        which = relative.group("which") or relative.group("which2")
        year = pub.year + {"last": -1, "next": 1}.get(which, 0)
        if relative.group("which") == "last" and month < pub.month:
            year += 1  # "last September" in October is this year's
        if relative.group("which") == "next" and month > pub.month:
            year -= 1  # "next March" in January is this year's
        return Normalised("DATE", f"{year}-{month:02d}", True)
    match = (re.fullmatch(rf"(?P<month>{month_names})\.?(?:\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?)?,?"
                          r"(?:\s+(?:of\s+)?(?P<year>\d{4}))?", text)
             or re.fullmatch(rf"(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{month_names})"
                             r"\.?,?(?:\s+(?P<year>\d{4}))?", text))
    if match:
        return _month_day_year(match, pub, future)
    season = re.fullmatch(r"(?:(?P<which>this|last|next|the)\s+)?(?P<season>spring|summer|autumn|fall|winter)"
                          r"(?:\s+(?:of\s+)?(?P<year>\d{4}))?", text)
    if season:
        code = time_words()["season"][season.group("season")]
        if season.group("year"):
            return Normalised("DATE", f"{season.group('year')}-{code}", False)
        if pub is None:
            return Normalised("DATE", None, False)
        year = pub.year + {"last": -1, "next": 1}.get(season.group("which") or "", 0)
        return Normalised("DATE", f"{year}-{code}", True)
    return None


def _month_day_year(match: re.Match, pub: date | None, future: bool) -> Normalised:
    month = MONTHS[match.group("month")]
    day = int(match.group("day")) if match.group("day") else None
    if day is not None and not 1 <= day <= calendar.monthrange(2000, month)[1]:
        return Normalised("DATE", None, False)
    if match.group("year"):
        year, anchored = int(match.group("year")), False
    elif pub is None:
        return Normalised("DATE", None, False)
    else:
        year, anchored = pub.year, True
        later = (month, day or 1) > (pub.month, pub.day) if day else month > pub.month
        if later and not future:
            year -= 1  # never resolve news to the future by default
    if day is None:
        return Normalised("DATE", f"{year}-{month:02d}", anchored)
    day = min(day, calendar.monthrange(year, month)[1])
    return Normalised("DATE", f"{year}-{month:02d}-{day:02d}", anchored)


def _rule_dateparser(text, pub, anchors, future):
    """What dateparser parses well: numeric dates and other written-out calendar dates."""
    if not re.search(r"\d", text):
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            data = _date_parser(pub, future).get_date_data(text)
        except (ValueError, TypeError, OverflowError, KeyError, AttributeError):  # odd input: not a date
            return None
    if data is None or data.date_obj is None:
        return None
    parsed = data.date_obj.date()
    explicit_year = re.search(r"\b\d{4}\b", text) is not None
    anchored = not explicit_year
    if anchored and pub is None:
        return Normalised("DATE", None, False)
    period = data.period or "day"
    if period == "year":
        return Normalised("DATE", str(parsed.year), anchored)
    if period == "month":
        return Normalised("DATE", f"{parsed.year}-{parsed.month:02d}", anchored)
    return Normalised("DATE", parsed.isoformat(), anchored)


@lru_cache(maxsize=64)
def _date_parser(pub: date | None, future: bool):
    """dateparser's parser for one publication date (building one costs more than parsing)."""
    from dateparser.date import DateDataParser

    settings = {"PREFER_DATES_FROM": "future" if future else "past", "RETURN_AS_TIMEZONE_AWARE": False,
                "PREFER_DAY_OF_MONTH": "first"}
    if pub is not None:
        settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day)
    return DateDataParser(languages=["en"], settings=settings)


_RULES = (_rule_anchor, _rule_range, _rule_reference, _rule_day_offset, _rule_part_of_day, _rule_weekday,
          _rule_stretch, _rule_relative_unit, _rule_weekend, _rule_year_edge, _rule_quarter, _rule_ago, _rule_set, _rule_clock,
          _rule_calendar, _rule_duration, _rule_dateparser)


def normalise(text: str, publication_date: str | date | None = None, anchors: dict[str, str] | None = None,
              future: bool = False) -> Normalised:
    """The TIMEX3-style type and value of one time expression.

    `publication_date` (YYYY-MM-DD) anchors relative expressions; `anchors` maps named events to dates
    ({"the invasion": "2022-02-24"}); `future` says the clause is explicitly about the future.
    """
    pub = _as_date(publication_date)
    words = re.sub(r"\s+", " ", text.lower().strip(" \t\n,.;:()'\u2019")).replace("\u2013", "-")
    words = re.sub(r"^(?:just|only|some|about|around|roughly|approximately|nearly|almost)\s+", "", words)
    words = re.sub(r"^(?:(?:" + "|".join(sorted(_LEADING_WORDS, key=len, reverse=True)) + r")\s+)+", "", words)
    for rule in _RULES:
        result = rule(words, pub, anchors or {}, future)
        if result is not None:
            return result
    return Normalised("DATE", None, False)


def _as_date(value: str | date | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# ---------------------------------------------------------------- detection in a parsed doc

_OWN_PATTERNS = [
    rf"\b(?:(?:last|next|this|past|coming|on)\s+)?(?:{'|'.join(WEEKDAYS)})s?(?:\s+(?:morning|afternoon|evening|night))?\b",
    r"\b(?:today|tonight|yesterday|tomorrow|now|currently|recently|nowadays|lately|soon)\b",
    (r"\b(?:this|last|next|past|previous|coming)\s+(?:week|weekend|month|quarter|year|decade|"
     r"morning|afternoon|evening|night|spring|summer|autumn|fall|winter)\b"),
    rf"\b{_NUM}[\s-]+{_UNIT_WORDS}s?\s+(?:ago|earlier|later)\b",
    (rf"\b(?:the\s+)?(?:{_ORD}\s+(?:day|week|month|year)|beginning|start|outbreak|onset|eve|end|middle)"
     r"\s+of\s+(?:the|this|last|next)\s+[a-z][\w-]*(?:\s+war)?\b"),
    rf"\b(?:every|each)\s+(?:{_NUM}\s+)?{_UNIT_WORDS}s?\b",
    r"\b(?:hourly|daily|weekly|monthly|quarterly|annually|yearly)\b",
    r"\b\d{1,2}:\d{2}\s*(?:a\.?m\.?|p\.?m\.?)?(?:\s*\(?(?:UTC|GMT)\)?)?(?=\W|$)",
    r"\b\d{1,2}\.\d{2}\s*(?:a\.?m\.?|p\.?m\.?|UTC|GMT)(?=\W|$)",  # "9.30 pm", not the price "0.68"
    r"\b\d{1,2}\s*(?:a\.m\.|p\.m\.|am|pm)(?=\W|$)",
    r"\b(?:[01]\d|2[0-3])[0-5]\d\s+(?:UTC|GMT|hours)\b",
    r"\b(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+(?:the|this|last|next)\s+(?:year|month|week)\b",
]
# Several-word references ("the near future", "the time being"): single words such as "current" are
# left to spaCy, being adjectives far more often than times.
_OWN_PATTERNS.append(r"\b(?:" + "|".join(re.escape(key) for key in sorted(time_words()["reference"], key=len, reverse=True)
                                        if " " in key or "-" in key) + r")\b")
_OWN = re.compile("|".join(f"(?:{pattern})" for pattern in _OWN_PATTERNS), re.IGNORECASE)
# Where a word starts: every pattern of _OWN begins with \b and a word character, so a match can
# begin nowhere else.
_WORD_START = re.compile(r"\b(?=\w)")


def own_matches(text: str):
    """The matches of _OWN.finditer(text), trying the patterns only where a word starts: trying the
    whole alternation at every character was half of this component's time."""
    end = 0
    for word in _WORD_START.finditer(text):
        if word.start() >= end and (match := _OWN.match(text, word.start())):
            yield match
            end = match.end()


# spaCy DATE entities that are ages, not times ("45 years old", "aged 30").
_NOT_A_TIME = re.compile(r"\b(?:old|aged?)\b", re.IGNORECASE)


def candidate_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character offsets of time expressions: spaCy's DATE/TIME entities joined with our patterns."""
    spans = [(ent.start_char, ent.end_char) for ent in doc.ents
             if ent.label_ in ("DATE", "TIME") and not _NOT_A_TIME.search(ent.text)]
    text = doc_text(doc)
    spans += [(match.start(), match.end()) for match in own_matches(text)]
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [_trim(text, start, end) for start, end in merged]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Leave leading prepositions and trailing punctuation outside the expression (TIMEX3 extents)."""
    while True:
        match = re.match(r"(\w+)\s+", text[start:end])
        if not match or match.group(1).lower() not in _LEADING_WORDS or match.end() >= end - start:
            break
        start += match.end()
    while end > start and text[end - 1] in " ,.;:'\u2019\")(":
        if text[end - 1] == ")" and "(" in text[start:end]:
            break
        if text[end - 1] == "." and re.search(r"\b[ap]\.m\.$", text[start:end], re.IGNORECASE):
            break  # the stop of "p.m." belongs to it
        end -= 1
    while True:  # "8,579.19 at": a trailing preposition belongs to what follows
        match = re.search(r"\s+(\w+)$", text[start:end])
        if not match or match.group(1).lower() not in _LEADING_WORDS:
            break
        end = start + match.start()
    return start, end


def relation_before(text: str, start: int) -> str | None:
    """The relation the words just before an expression give it: 'by' -> before, 'since' -> since."""
    preceding = text[max(0, start - 20):start].lower().split()
    relations = time_words()["relation"]
    if len(preceding) >= 3 and " ".join(preceding[-3:]) in relations:
        return relations[" ".join(preceding[-3:])]
    return relations.get(preceding[-1]) if preceding else None


# Modal verbs that point a clause forward ("may be signed on September 12").
_FORWARD_MODALS = {"will", "shall", "'ll", "wo", "may", "might", "should", "could", "would", "'d"}
# Verbs whose participle schedules something ("a hearing has been scheduled for June 3").
_SCHEDULING = {"schedule", "plan", "set", "due", "slate", "expect", "intend", "want", "aim"}


def _clause_verbs(span: Span) -> list:
    """The verb governing the expression, then the verbs it complements ("stays closed", "to remain
    closed", "wants to cut"): together they say the clause's tense."""
    head = span.root
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    chain = [head]
    while head.dep_ in ("acomp", "xcomp", "oprd") and head.head.i != head.i and len(chain) < 5:
        head = head.head
        chain.append(head)
    return chain


def is_future_clause(span: Span) -> bool:
    """The clause governing the expression looks forward: a modal ('will', 'may'), an infinitive
    ('to be held on October 12'), 'going to', or a scheduling participle ('has been scheduled')."""
    return any(_looks_forward(verb) for verb in _clause_verbs(span))


def _looks_forward(head) -> bool:
    children = list(head.children)
    if any(t.dep_ == "aux" and t.lower_ in _FORWARD_MODALS for t in children):
        return True
    if any(t.dep_ == "aux" and t.lower_ == "to" for t in children):
        return True
    if head.lemma_ in _SCHEDULING and head.tag_ in ("VBN", "VBZ", "VBP", "VB"):
        return True
    return head.lower_ == "going" and head.i + 1 < len(head.doc) and head.nbor(1).lower_ == "to"


def _past_clause(span: Span) -> bool:
    head = _clause_verbs(span)[-1]
    return head.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in head.children)


def time_expressions(doc: Doc) -> list[TimeExpression]:
    """Every time expression of the doc, typed and normalised, in text order."""
    anchors = doc._.anchors or {}
    publication = doc._.publication_date
    expressions = []
    text = doc_text(doc)
    for start, end in candidate_spans(doc):
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or not text[start:end].strip():
            continue
        relation = relation_before(text, start)
        # "closed until Friday", "due by March": a limit in a clause not told in the past lies ahead.
        future = is_future_clause(span) or (relation == "before" and not _past_clause(span))
        result = normalise(text[start:end], publication, anchors, future=future)
        if result.value is None and not re.search(r"[A-Za-z]", text[start:end]):
            continue  # a bare number ("0.68", "11,188.23") that the tagger took for a time
        if result.type == "DURATION" and relation == "at":
            relation = "during"
        expressions.append(TimeExpression(start=start, end=end, text=text[start:end], type=result.type,
                                          value=result.value, relation=relation, anchored=result.anchored))
    return expressions


@Language.component("onrecord_times", assigns=["doc._.times"])
def find_times(doc: Doc) -> Doc:
    """Write doc._.times: TIMEX3-style time expressions normalised against doc._.publication_date."""
    doc._.times = time_expressions(doc)
    return doc
