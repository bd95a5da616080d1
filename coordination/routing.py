"""Routes declared next to their views, registered by the area's `init_app()`.

A view module marks its functions with `@route(...)` (the same arguments as `Blueprint.route`)
and never imports its package: the package's `__init__.py` owns the blueprint and calls
`register(bp, "module", ...)`, so no module imports its own package back (no import cycle).
"""

from importlib import import_module
from inspect import getmembers, isfunction


def route(rule, **options):
    """Mark a view with a URL rule; `register` adds it to the area's blueprint."""

    def mark(view):
        """Keep the rule on the view."""
        view.__dict__.setdefault("url_rules", []).append((rule, options))
        return view

    return mark


def error_handler(code_or_exception):
    """Mark a view module's function as the blueprint's handler of an error."""

    def mark(handler):
        """Keep the error on the handler."""
        handler.handles_error = code_or_exception
        return handler

    return mark


# Blueprints already given their views: a process builds many applications (the tests do), and
# a blueprint takes its rules once, then replays them for each application.
FILLED = set()


def register(bp, *module_names):
    """Import the area's view modules (named relative to the blueprint's package) and add
    their marked views and error handlers to the blueprint, once."""
    if bp.name in FILLED:
        return
    FILLED.add(bp.name)
    for name in module_names:
        module = import_module(f"{bp.import_name}.{name}")
        for _, function in getmembers(module, isfunction):
            if function.__module__ != module.__name__:
                continue  # imported from elsewhere: registered by its own module
            for rule, options in function.__dict__.get("url_rules", ()):
                options = dict(options)
                bp.add_url_rule(rule, options.pop("endpoint", None), function, **options)
            if hasattr(function, "handles_error"):
                bp.register_error_handler(function.handles_error, function)
