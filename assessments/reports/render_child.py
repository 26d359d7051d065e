"""The render child: one PDF render in a fresh interpreter, under hard limits.

    python -m assessments.reports.render_child MEMORY_MB CPU_SECONDS < report.html > report.pdf

isolated.py starts it for every render. Before anything else it caps its own address space
(RLIMIT_AS) and CPU time (RLIMIT_CPU, a backstop to the parent's wall-clock timeout that also
holds if the parent dies), then reads the HTML from stdin and writes the PDF to stdout. It
imports neither Django nor the project's settings: nothing in it can reach the database, the
media folder or a secret. The strict SafeURLFetcher and the dropping of attachments are the
same code as in-process (engine.py).

Exit status: 0 with the PDF on stdout; EXIT_REFUSED when the fetcher refused a resource
(its message on stderr); EXIT_OUT_OF_MEMORY when the memory cap was hit; anything else
(or death by a signal) is a failure.
"""

import os
import resource
import sys

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_REFUSED = 3
EXIT_OUT_OF_MEMORY = 4
MEGABYTE = 1024 * 1024


def apply_limits(memory_mb: int, cpu_seconds: int) -> None:
    memory = memory_mb * MEGABYTE
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # Past the soft limit the kernel sends SIGXCPU (fatal); past the hard one, SIGKILL.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    # A crash must not write a core file of the render's memory.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def render(html: str) -> bytes:
    from assessments.reports.engine import write_pdf

    return write_pdf(html)


def main(argv: list[str]) -> int:
    try:
        memory_mb, cpu_seconds = int(argv[0]), int(argv[1])
    except (IndexError, ValueError):
        print("usage: render_child MEMORY_MB CPU_SECONDS < html > pdf", file=sys.stderr)
        return EXIT_USAGE
    apply_limits(memory_mb, cpu_seconds)
    # Only the PDF goes to stdout: anything a library prints goes to stderr instead.
    pdf_out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr
    try:
        from weasyprint.urls import FatalURLFetchingError

        try:
            pdf = render(sys.stdin.buffer.read().decode("utf-8"))
        except FatalURLFetchingError as error:
            print(error, file=sys.stderr)
            return EXIT_REFUSED
    except MemoryError:
        print(f"out of memory: the render needed more than {memory_mb} MB", file=sys.stderr)
        return EXIT_OUT_OF_MEMORY
    pdf_out.write(pdf)
    pdf_out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
