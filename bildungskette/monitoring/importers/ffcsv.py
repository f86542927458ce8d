"""stub"""

from pathlib import Path


def ffcsv_detect(path: Path) -> bool:
    return False


def ffcsv_dataset(path, **kw):
    raise NotImplementedError
