"""The README's configuration example must stay a file rolebot accepts."""

import re
from pathlib import Path

from core.config import load_settings

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_yaml_example_loads(tmp_path):
    section = README.read_text(encoding="utf-8").split("## Configuration", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    path = tmp_path / "rolebot.yml"
    path.write_text(example, encoding="utf-8")
    settings = load_settings(env={}, config_path=path)
    assert settings.aliases == {"numbers person": "Data Analyst"}
    assert settings.managers == ("U034LEAD", "U056LEAD")
    assert settings.onboarding.business_days == ("mon", "tue", "wed", "thu", "fri")
    assert settings.onboarding.checkin_questions[1] == "What is blocking you?"
