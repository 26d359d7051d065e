"""Assess one product described in JSON, without storing anything, and print the outcome.

python manage.py assess_product product.json
echo '{"source_category": "plant", ...}' | python manage.py assess_product -
python manage.py assess_product product.json --format text
"""

import json
import sys
import textwrap

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.facts import FIELDS, FactsInputError
from assessments.facts.evaluate import evaluate_json
from assessments.facts.json_input import MAX_INPUT_BYTES, MAX_NESTING, input_too_large
from assessments.rules import Result, Verdict

INVALID_INPUT = 2
WIDTH = 88


class Command(BaseCommand):
    help = (
        "Evaluate a product described in JSON against the rules of its jurisdiction and "
        "print the ruleset, verdict and findings. Fields: " + ", ".join(FIELDS) + ". "
        "jurisdiction defaults to UK, as_of to today, marketed_as to unknown; a missing "
        "source_category, cell_status or route means the question is not answered. "
        f"Input over {MAX_INPUT_BYTES:,} bytes (1 MB) or nested more than {MAX_NESTING} "
        "levels deep is refused. "
        "Invalid input exits with status 2 and one line naming the field."
    )
    # A read-only evaluation: system checks would only add output (and failure modes)
    # unrelated to the product, and scripts rely on stderr being the one error line.
    requires_system_checks = []
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("input", help="Path to a JSON file, or - to read standard input.")
        parser.add_argument(
            "--format",
            choices=("json", "text"),
            default="json",
            help="json (default) for machines, text for a readable summary.",
        )

    def handle(self, *args, **options):
        text = self._read(options["input"], options.get("stdin") or sys.stdin)
        try:
            # The one code path the API's POST /api/v1/evaluate calls too.
            evaluation = evaluate_json(text, today=timezone.localdate())
        except FactsInputError as error:
            raise CommandError(str(error), returncode=INVALID_INPUT) from None
        if options["format"] == "text":
            self.stdout.write(render_text(evaluation.result, ruleset_name=evaluation.ruleset_name))
        else:
            self.stdout.write(json.dumps(evaluation.to_dict(), indent=2, ensure_ascii=False))

    def _read(self, path: str, stdin) -> str:
        """The input as text, reading at most one byte past MAX_INPUT_BYTES: a larger file
        or stream is refused without being read to its end."""
        try:
            if path == "-":
                # The byte stream under sys.stdin; a text stream (tests) is read as it is.
                data = getattr(stdin, "buffer", stdin).read(MAX_INPUT_BYTES + 1)
            else:
                with open(path, "rb") as handle:
                    data = handle.read(MAX_INPUT_BYTES + 1)
            if len(data) > MAX_INPUT_BYTES:
                raise input_too_large()
            return data.decode("utf-8") if isinstance(data, bytes) else data
        except FactsInputError as error:
            raise CommandError(str(error), returncode=INVALID_INPUT) from None
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            raise CommandError(
                f"input: cannot read {path!r} ({reason}); give a UTF-8 JSON file path or - "
                "for stdin",
                returncode=INVALID_INPUT,
            ) from None


def _wrapped(text: str, indent: str = "   ") -> str:
    return textwrap.fill(
        text, width=WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    )


def render_text(result: Result, *, ruleset_name: str) -> str:
    """A plain-text report of one evaluation, for reading in a terminal."""
    verdict = Verdict(result.verdict)
    lines = [
        f"Ruleset: {result.ruleset} ({ruleset_name})",
        f"Verdict: {verdict.label} ({verdict.value})",
        _wrapped(verdict.meaning, indent="  "),
        "",
    ]
    if not result.findings:
        lines.append("No findings.")
    else:
        lines.append(f"Findings ({len(result.findings)}), most decisive first:")
    for number, finding in enumerate(result.findings, start=1):
        lines += [
            "",
            f"{number}. [{finding.severity.value}] {finding.rule_id}: {finding.title}",
            _wrapped(finding.explanation),
            _wrapped(f"Citation: {finding.citation or '—'}"),
            _wrapped(f"Next step: {finding.next_step}"),
        ]
    lines += [
        "",
        "ExoCheck is decision support for supplier due diligence, not legal advice.",
    ]
    return "\n".join(lines)
