"""The service a pack is written for, and the words the site and the tracker use for it.

Set in mkdocs.yml under `extra.service`; the defaults are the EWS pack's. Another service
(a youth service, say) builds its own pack and tracker by changing these and the content."""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from . import siteconfig
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


def load_service(root: Path, language: str = "en") -> tuple[Service, list[ContentError]]:
    """The service's words on a language's site: extra.service of mkdocs.yml, or of mkdocs.cy.yml with
    its INHERIT resolved (handbook/siteconfig.py). The defaults, with the errors, if the configuration
    cannot be read or its words are wrong; each error names the file that sets the wrong value."""
    if not siteconfig.config_file(root, language).exists():
        return Service(), []
    try:
        chain = siteconfig.config_chain(root, language)
    except siteconfig.ConfigError as exc:
        return Service(), [exc.content_error()]
    extra = siteconfig.merged(chain).get("extra")
    try:
        return Service.model_validate((extra.get("service") if isinstance(extra, dict) else None) or {}), []
    except ValidationError as exc:
        return Service(), [ContentError(siteconfig.origin(chain, "extra", "service", *map(str, e["loc"][:1])), None,
                                        "extra.service." + ".".join(map(str, e["loc"])), e["msg"])
                           for e in exc.errors(include_url=False)]
