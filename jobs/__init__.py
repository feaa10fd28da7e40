"""Onboarding journeys: plans built from role goals, the outbox, the poller and delivery."""
