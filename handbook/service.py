"""The service a pack is written for, and the words the site and the tracker use for it.

Set in mkdocs.yml under `extra.service`; the defaults are the EWS pack's. Another service
(a youth service, say) builds its own pack and tracker by changing these and the content."""
from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from .yamlsource import ContentError


class Service(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = "Education Welfare Service"
    short_name: str = "EWS"
    officer: str = "Education Welfare Officer"
    officer_short: str = "EWO"
    work: str = "education welfare work"  # "the abbreviations used in … in Wales"
    country: str = "Wales"

    @property
    def tracker_name(self) -> str:
        return f"{self.short_name} induction tracker"


def load_service(root: Path) -> tuple[Service, list[ContentError]]:
    config = root / "mkdocs.yml"
    if not config.exists():
        return Service(), []
    with open(config, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    try:
        return Service.model_validate((data.get("extra") or {}).get("service") or {}), []
    except ValidationError as exc:
        return Service(), [ContentError("mkdocs.yml", None, "extra.service." + ".".join(map(str, e["loc"])), e["msg"])
                           for e in exc.errors(include_url=False)]
