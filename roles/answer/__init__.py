"""Answering ``/role`` questions from the index, for every surface: ``engine`` reads a question and
builds a platform-neutral ``result.Answer``; ``resolve`` finds roles by name, ``vocabulary`` maps words
to aspects and horizons, ``query``/``sections``/``terms`` are the engine's steps, ``lookup`` is the strict
role lookup of ``show`` and enrolment, ``render_text`` renders an answer as plain text."""
