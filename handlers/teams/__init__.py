"""The Microsoft Teams surface: listeners, Adaptive Card rendering and the Teams sender.

No answer or journey logic lives here: answers come from ``roles`` (the engine) and journeys from
``jobs``; this package reads activities, renders cards and talks to the Teams SDK.
"""
