"""Answering ``/role`` questions from the index, for every surface.

``engine`` reads a question and builds a platform-neutral ``result.Answer``, with ``resolve`` (roles by
name, through ``title_index``), ``vocabulary`` (words to aspects and horizons), ``query``/``sections``/
``terms`` (its reading steps), ``search`` (free text over the full-text index), ``ladder``/``levels``
(career-ladder questions) and ``followup``/``conversation`` (follow-ups from the last answer).
``asking`` is the one path every surface takes (help, limits from ``limits``, "more", follow-ups);
``examples`` builds checked help examples; ``lookup`` is the strict role lookup of ``show`` and
enrolment; ``render_text`` renders an answer as plain text; ``memory`` keeps answers clear of GC pauses.
"""
