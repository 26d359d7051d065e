"""`{% kept "name" part … %}…{% endkept %}`: a fragment of a clinic's page, rendered once for
the clinic's stamp, the time zone and the parts given, and then read from the cache until
one of the clinic's rows changes (clinics/kept.py says when nothing is kept).

The view hands the block lazy querysets (and a lazy page, `core.listing.lazy_page`), so a
kept fragment runs none of their queries. A fragment must be the same for everyone who
gets its key: pass the user as a part where it shows anything of theirs. A form cannot be
kept (its CSRF token belongs to one session): a fragment holding one is refused, kept or
not, so the first test that renders it fails.
"""

from django import template

from clinics.kept import kept_for, without_forms

register = template.Library()


class KeptNode(template.Node):
    def __init__(self, name: str, parts: list, nodelist: template.NodeList):
        self.name = name
        self.parts = parts
        self.nodelist = nodelist

    def _rendered(self, context) -> str:
        return without_forms(self.name, self.nodelist.render(context))

    def render(self, context) -> str:
        return kept_for(
            context.get("request"),
            f"fragment-{self.name}",
            parts=[part.resolve(context) for part in self.parts],
            work=lambda: self._rendered(context),
        )


@register.tag("kept")
def do_kept(parser, token):
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError('{% kept "name" part … %} needs a quoted name')
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    parts = [parser.compile_filter(bit) for bit in bits[2:]]
    return KeptNode(bits[1][1:-1], parts, nodelist)
