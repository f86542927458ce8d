"""stub"""

from pathlib import Path


def ba_detect(path: Path) -> bool:
    return False


def ba_dataset(path, **kw):
    raise NotImplementedError
