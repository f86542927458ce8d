"""stub"""

from pathlib import Path


def mapping_definition_check(definition):
    return []


def mapping_detect(path: Path) -> bool:
    return False


def mapping_dataset(path, **kw):
    raise NotImplementedError
