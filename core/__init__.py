"""Cross-cutting pieces that belong to no single app: the server error page (core.errors,
wired as handler500 in config/urls.py) and project-wide management commands. No models;
its templates live in the project's templates/ folder."""
