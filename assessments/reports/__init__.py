"""PDF reports: the template context, the render (in a limited child process) and the
stored, hash-checked signed reports."""
