"""Onboarding journeys: plans built from role goals, the outbox, the poller and delivery.

Modules (each documents its public API): ``journeys`` (enrol, progress, goals, pause/resume/cancel/
reschedule, permissions), ``plan`` (which message on which day), ``outbox`` (the table of messages, atomic
claims, snooze), ``checkins`` (cadence, answers, digests), ``messages`` (text + Block Kit and action ids),
``delivery`` (the Sender extension point, SlackSender, pacing), ``poller`` (run_due and the APScheduler
clock), ``csv_import`` (HR export), ``timeutil`` (UTC storage, zoneinfo, business days), ``errors``.
"""
