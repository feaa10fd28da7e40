"""Onboarding in Slack: ``listeners`` registers the commands, actions and views; ``commands`` and
``args`` read ``/role onboard|checkin|…``; ``actions`` handles buttons and submissions; ``views`` builds
modals; ``render`` the messages and Home blocks; ``roles`` the role picker."""
