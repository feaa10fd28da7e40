"""Role titles and aliases as people will type them.

A document's heading is rarely the bare title: "Principal Technical Consultant: Role Blueprint,
Responsibilities, Skills, KPIs, and Career Path", "L4 Senior Solutions Architect - Technical Account
Management". The title is the role name; the level code ("L4") and the full heading become aliases, and
so does the abbreviation the document defines for itself ("The Principal Technical Product Manager
(PTPM)"). Initials are added by the answer engine, not here.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from roles.aspects import clean_heading

# Level codes ladders use: L4, L1.0, IC3, M2, P5, E6, D3, TL4, EM5, TPM6, SDE2, G7, "Level 3". Letters are
# listed, not guessed: "Q1 goals" or "S3 buckets" are not levels.
_CODE = r"(?:L|IC|M|P|E|T|D|G|SE|IM|TL|EM|TPM|SDE|SWE|PM|EL|MGR|ENG|DS|IM|SRE)\d{1,2}(?:\.\d)?"
_LEVEL = re.compile(rf"^\s*({_CODE}|Level\s+\d{{1,2}})\b\s*[-:–—|.]?\s*", re.IGNORECASE)
# A code after the name: "Senior Engineer (L5)", "Staff Engineer, IC6", "Senior Developer (G7)".
_TRAILING_LEVEL = re.compile(rf"\s*(?:\(({_CODE}|Level\s+\d{{1,2}}|Grade\s+\w+)\)|[,–—-]\s*({_CODE}))\s*$",
                             re.IGNORECASE)
_LAST_CODE = re.compile(rf"(?:^|\s)({_CODE})$", re.IGNORECASE)
# Civil-service grades named in a job description's facts ("Grade: HEO", "Band: 7").
_GRADE_LINE = re.compile(r"^\s*[-*]?\s*\**(?:grade|band|level|pay grade)\**\s*:\**\s*([A-Z][A-Za-z0-9 ]{0,11}?|\d{1,2})\s*$",
                         re.IGNORECASE | re.MULTILINE)

# The head noun of a job title ("Product Manager", "Solutions Engineer", "Head of Customer Success").
JOB_NOUN = re.compile(
    r"\b(engineer|manager|architect|analyst|designer|consultant|scientist|director|lead|specialist|"
    r"administrator|developer|officer|representative|coordinator|writer|associate|intern|head of|vp|"
    r"president|programmer|strategist|researcher|advocate|owner|partner|executive|technician|agent|assistant|"
    r"accountant|recruiter|nurse|editor|supervisor|planner|marketer|operator|controller|clerk|receptionist|"
    r"teacher|trainer|auditor|bookkeeper|copywriter|producer|technologist|generalist|buyer|counsel|chief|"
    r"cto|ceo|cfo|coo|ciso|sre|sde|swe|principal|fellow|steward|tester|champion|commander|mentor|"
    r"captain|expert|practitioner|evangelist|negotiator|investigator|librarian|paralegal|lawyer|secretary|"
    r"ambassador|apprentice|trainee|graduate|hacker|dev|devops|ops|rep|sdr|bdr|ae|csm|tam|pm|em|ic)\b",
    re.IGNORECASE)
_LEVEL_NUMBER = re.compile(r"I{1,3}|IV|VI{0,3}|\d{1,2}")
_AGENT = re.compile(r"[a-z]{2,}(er|or|ist|ista|ian|ant|dent|eer)$", re.IGNORECASE)
_SENIORITY = re.compile(r"^((junior|senior|intermediate|associate|principal|staff|executive|deputy|assistant|"
                        r"interim|acting|group|global|regional)\s+)+", re.IGNORECASE)
# Words of a sentence rather than a name: job titles carry no articles, pronouns or verbs of being.
_PROSE_WORD = re.compile(r"a|an|the|your|our|my|their|we|you|being|becoming|working|with|how|why|what|is|are|"
                         r"to|as|when|hiring|meet|meeting|ask|tips|notes", re.IGNORECASE)
_HEAD_FIRST = re.compile(r"^(head|director|vp|vice president|chief|lead)\s+(of|for)\b", re.IGNORECASE)
# Nouns that name a kind of page, not a job ("Vulnerability Management Policy", "Week 1", "Platform Team").
_PAGE_KIND = re.compile(
    r"\b(polic(y|ies)|process(es)?|procedures?|guides?|guidelines?|handbook|playbooks?|runbooks?|checklists?|"
    r"templates?|meetings?|notes|faqs?|glossary|teams?|tools|benefits|values|principles|readme|introduction|"
    r"week|weeks|day|days|levels|levelling|leveling|ladders?|frameworks?|matrix|reviews?|interviews?|"
    r"onboarding|offboarding|hiring|recruiting|expenses|travel|security|incidents?|how to|how we|about us|"
    r"overview|welcome|agenda|retro(spective)?s?|roadmap|okrs?|strategy|announcements?|changelog|index|"
    r"contents|sitemap|other pages|home|pages|links|resources|calendar|schedule|holidays?|leave|"
    r"expectations for|what do|what is|what are|purpose|tutorial|setup|installation|readme|roles|department|"
    r"division|org|organi[sz]ation|committee|council|guild|programme|program|project|initiative|offsite|"
    r"kpis|metrics|dashboards?|on-call|oncall|rota|sync|standup|1:1s?|one-on-ones?|okr)\b",
    re.IGNORECASE)
_GROUP = re.compile(r"\b(engineers|managers|designers|analysts|developers|leads|scientists|architects|"
                    r"consultants|specialists|roles|positions|jobs)\b", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*(?::|\s\|\s|\s-\s|\s–\s|\s—\s)\s*")
_TRAILING_ABBR = re.compile(r"\s*\(([A-Z][A-Za-z0-9&/.\-]{1,9})\)$")
# Words that mark the rest of a heading as a description of the page, not part of the role name.
_DESCRIPTOR = re.compile(
    r"\b(role blueprint|blueprint|job description|responsibilities|skills|kpis?|career path|overview|"
    r"profile|expectations|role guide|competenc)", re.IGNORECASE)


def split_title(heading: str) -> tuple[str, list[str]]:
    """The role title in a heading, and the aliases it implies (level code, full qualified heading)."""
    text = clean_heading(heading)
    aliases: list[str] = []
    level = _LEVEL.match(text)
    if level and len(text) > level.end():
        aliases.append(_code_form(level.group(1)))
        text = text[level.end():].strip()
        # "L4 Senior Engineer" as a whole is what many people will type.
        aliases.append(f"{aliases[0]} {_SEPARATOR.split(text, maxsplit=1)[0]}")
    trailing = _TRAILING_LEVEL.search(text)
    if trailing and trailing.start() > 0:
        # "Senior Engineer (L5)": the name is the title, the code an alias people type ("L5 engineer").
        aliases.append(_code_form(next(g for g in trailing.groups() if g)))
        text = text[:trailing.start()].strip()
    if " / " in text:
        # "Engineer I / Software Engineer I": two names of one role; the first is the title.
        first, _, second = text.partition(" / ")
        if is_job_title(first) and is_job_title(second):
            aliases.append(second.strip())
            text = first.strip()
    parts = _SEPARATOR.split(text, maxsplit=1)
    title = parts[0].strip() or text
    abbreviation = _TRAILING_ABBR.search(title)
    if abbreviation and abbreviation.start() > 0 and _abbreviates(abbreviation.group(1), title[:abbreviation.start()]):
        # "Junior Identity Consultant (JIC)": the abbreviation is a name for the role, not part of it.
        aliases.append(abbreviation.group(1))
        title = title[:abbreviation.start()].strip()
    if len(parts) == 2 and parts[1] and not _DESCRIPTOR.search(parts[1]):
        # A qualifier such as a team name ("- Technical Account Management") narrows the role: keep
        # the qualified name as an alias so both spellings find it.
        aliases.append(text)
    return title, _unique(aliases, title)


def _abbreviates(abbreviation: str, title: str) -> bool:
    """True when the capitals of ``abbreviation`` are initials of the title's words, in order ("JIC")."""
    capitals = [ch for ch in abbreviation if ch.isupper()]
    initials = iter(word[0].upper() for word in re.findall(r"[A-Za-z][\w'-]*", title))
    return len(capitals) >= 2 and all(any(ch == initial for initial in initials) for ch in capitals)


def is_job_title(text: str) -> bool:
    """True when ``text`` reads as one job title: short, and its head noun names a job (last word, or
    "Head of …" / "Director of …" first)."""
    name = clean_heading(text)
    name = _TRAILING_LEVEL.sub("", _LEVEL.sub("", name, count=1)).strip()
    name = re.sub(r"\s*\([^()]*\)$", "", name) or name  # "Program Manager (PM)": the name is before it
    words = re.findall(r"[A-Za-z][\w'&/-]*", name)
    if not words or len(words) > 7 or name.endswith((".", "?", "!")):
        return False
    if _PAGE_KIND.fullmatch(words[-1]):
        return False  # "Head of Customer Success onboarding" is a page about the role
    if any(_PROSE_WORD.fullmatch(word) for word in words[:-1]):
        return False  # "Being a manager", "Working with your Product Manager": prose about a job

    if _HEAD_FIRST.match(_SENIORITY.sub("", name)):
        return True
    # A number after the noun is a level of it: "Engineer III", "Developer 1", "SDE II".
    while len(words) > 1 and _LEVEL_NUMBER.fullmatch(words[-1]):
        words.pop()
    return bool(JOB_NOUN.fullmatch(words[-1]))


def names_a_person(text: str) -> bool:
    """True for a short title whose last word is an agent noun ("Barista", "Sourcer", "Picker"): job
    titles that no word list holds still name the person doing the work."""
    words = re.findall(r"[A-Za-z0-9][\w'-]*", clean_heading(text))
    while len(words) > 1 and _LEVEL_NUMBER.fullmatch(words[-1]):
        words.pop()  # "Picker II", "Picker 2": a level of the job
    return 1 <= len(words) <= 5 and bool(_AGENT.search(words[-1])) and not text.rstrip().endswith((".", "?"))


def numbered_level(text: str) -> bool:
    """True for a name followed by a level number: "Picker II", "Agent 3" (a ladder's level heading)."""
    words = clean_heading(text).split()
    return len(words) >= 2 and bool(_LEVEL_NUMBER.fullmatch(words[-1])) and names_a_person(text)


def plural_job_title(text: str) -> bool:
    """True for names of a group of roles ("Cloud Engineers", "Engineering Roles")."""
    words = clean_heading(text).split()
    return bool(words) and bool(_GROUP.fullmatch(words[-1])) and not _TRAILING_LEVEL.search(text)


def page_kind_word(text: str) -> str:
    """The word of a title that names a kind of page ("policy", "week", "team"), or ""."""
    name = clean_heading(text)
    words = name.split()
    if _HEAD_FIRST.match(name) and not (words and _PAGE_KIND.fullmatch(words[-1])):
        return ""  # "Head of Customer Success" names a job, "Head of Sales onboarding" a page
    match = _PAGE_KIND.search(name)
    return match.group(0).lower() if match else ""


# Page kinds that hold career content: roles found on such a page are the page's point.
_CAREER_KINDS = frozenset({"levels", "levelling", "leveling", "ladder", "ladders", "framework", "frameworks",
                           "matrix", "roles", "readme", "index", "home", "pages", "overview", "introduction"})


def process_page_kind(title: str) -> str:
    """The page kind of a title when it is not a career page ("process" for "Incident response process")."""
    if is_job_title(title):
        return ""
    kinds = [match.group(0).lower() for match in _PAGE_KIND.finditer(clean_heading(title))]
    # "Security levels" is a career page about security roles, whatever else the title says.
    return "" if not kinds or any(kind in _CAREER_KINDS for kind in kinds) else kinds[0]


def level_code_in(text: str) -> str:
    """The level code a title carries ("L5" in "Senior Engineer (L5)", "D3" in "D3 - Developer 3"), or ""."""
    name = clean_heading(text)
    for pattern in (_LEVEL, _TRAILING_LEVEL, _LAST_CODE):
        match = pattern.search(name) if pattern is not _LEVEL else pattern.match(name)
        if match:
            return _code_form(next(g for g in match.groups() if g))
    return ""


def grade_aliases(text: str) -> list[str]:
    """Grades a job description states in its facts ("Grade: HEO")."""
    return [m.group(1).strip() for m in _GRADE_LINE.finditer(text[:5000])][:2]


def _code_form(code: str) -> str:
    code = re.sub(r"\s+", " ", code).strip()
    return code.title() if code.lower().startswith(("level", "grade")) else code.upper()


def has_level_code(heading: str) -> bool:
    """True when a heading starts with a level code ("L3 Engineer", "IC4 - Staff Engineer")."""
    text = clean_heading(heading)
    match = _LEVEL.match(text)
    return bool(match) and len(text) > match.end()


_ABBREVIATION_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z0-9&/.\-]{1,11})\)")


def defined_abbreviations(title: str, text: str) -> list[str]:
    """Abbreviations a document defines for its role: "The Principal Technical Product Manager (PTPM)"."""
    if not title:
        return []
    # The title is found with str.find and the abbreviation matched after it: compiling a pattern for
    # each document's title cost 0.3 ms a document, a tenth of loading a Markdown one.
    window, found, start = text[:20000], [], 0
    while (at := window.find(title, start)) >= 0:
        match = _ABBREVIATION_AFTER.match(window, at + len(title))
        if match:
            found.append(match.group(1))
        start = match.end() if match else at + 1
    return [abbr for abbr in _unique(found, title) if sum(ch.isupper() for ch in abbr) >= 2]


def title_from_path(path: str) -> str:
    """A readable title from a file name, for documents that give none ("senior_data-engineer.md")."""
    stem = PurePosixPath(path).name
    if stem.lower() in ("index.html.md.erb", "index.md", "index.mdx", "index.html", "_index.md", "readme.md"):
        # One folder per role ("<family>/<role>/index.html.md.erb"): the folder names the page.
        stem = PurePosixPath(path).parent.name or stem
    stem = re.sub(r"(\.(md|markdown|mdx|erb|txt|html?|json|ya?ml|docx|pdf))+$", "", stem, flags=re.IGNORECASE)
    stem = re.sub(r"\s+[0-9a-f]{32}$", "", stem)  # Notion exports end names with the page's id
    words = re.sub(r"[_\-.]+", " ", stem).strip()
    if not words:
        return "Untitled document"
    return words if any(ch.isupper() for ch in words) else words.title()


def _unique(values: list[str], title: str) -> list[str]:
    seen = {title.casefold()}
    out = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            out.append(value)
    return out
