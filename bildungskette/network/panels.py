"""Navigation entry and start-page panels of the network area."""


def panels_register() -> None:
    pass
