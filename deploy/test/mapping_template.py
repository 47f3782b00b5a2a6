"""Evaluates an API Gateway mapping template (Velocity) the way API Gateway does, for the constructs the
deploy template uses, and refuses everything else.

Supported: text; `#if(EXPR == "")` / `#if(EXPR != "")`, `#else`, `#end` alone on their lines;
references `$input.params('NAME')`, `$util.urlDecode(X)`, `$util.base64Decode(X)`, `$util.escapeJavaScript(X)`,
followed by `.replaceAll("REGEX","TEXT")` calls. The functions follow the API Gateway developer guide
("API Gateway mapping template and access logging variable reference"):

- `$input.params(x)`: the request parameter from the path, the query string or the headers, searched in that
  order; an empty string when there is none.
- `$util.urlDecode`: java.net.URLDecoder with UTF-8 (`+` is a space).
- `$util.base64Decode`: the decoded bytes as UTF-8 text.
- `$util.escapeJavaScript`: Apache Commons Lang's StringEscapeUtils.escapeJavaScript, which escapes `'` as `\\'`
  (not JSON: the guide tells to undo it with `.replaceAll("\\\\'","'")`), `"`, `\\`, `/`, control characters, and
  every UTF-16 code unit above 0x7F as `\\uXXXX`.
- Velocity keeps backslashes in string literals as they are; `replaceAll` is Java's String.replaceAll.

What this cannot show: Velocity's whitespace handling around directives (irrelevant to the JSON produced) and
anything API Gateway does before the template runs (it is given the parameters as API Gateway passes them).
"""

import base64
import re
import urllib.parse
from dataclasses import dataclass, field


class TemplateError(Exception):
    """The template uses something this evaluator does not implement."""


@dataclass
class Request:
    """The parts of a method request a mapping template can read."""

    path: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def param(self, name: str) -> str:
        for source in (self.path, self.query, self.headers):
            if name in source:
                return source[name]
        return ""


def escape_javascript(text: str) -> str:
    """StringEscapeUtils.escapeJavaScript (commons-lang 2), over UTF-16 code units as Java strings are."""
    units = text.encode("utf-16-be")
    out = []
    for index in range(0, len(units), 2):
        unit = int.from_bytes(units[index:index + 2], "big")
        char = chr(unit) if unit < 0xD800 or unit > 0xDFFF else None
        if unit > 0x7F:
            out.append("\\u%04X" % unit)
        elif unit < 32:
            out.append({8: "\\b", 9: "\\t", 10: "\\n", 12: "\\f", 13: "\\r"}.get(unit, "\\u%04X" % unit))
        elif char in "'\"\\/":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def url_decode(text: str) -> str:
    return urllib.parse.unquote_plus(text, encoding="utf-8", errors="strict")


def base64_decode(text: str) -> str:
    return base64.b64decode(text, validate=True).decode("utf-8")


class _Parser:
    """Parses and evaluates one reference expression starting at `$`."""

    def __init__(self, text: str, position: int, request: Request):
        self.text, self.position, self.request = text, position, request

    def _expect(self, literal: str) -> None:
        if not self.text.startswith(literal, self.position):
            raise TemplateError(f"expected {literal!r} at {self.text[self.position:self.position + 30]!r}")
        self.position += len(literal)

    def _name(self) -> str:
        match = re.compile(r"[A-Za-z][A-Za-z0-9]*").match(self.text, self.position)
        if not match:
            raise TemplateError(f"expected a name at {self.text[self.position:self.position + 30]!r}")
        self.position = match.end()
        return match.group()

    def _string_literal(self) -> str:
        quote = self.text[self.position]
        end = self.text.index(quote, self.position + 1)
        value = self.text[self.position + 1:end]
        if "$" in value:
            raise TemplateError(f"interpolated string literal {value!r} is not supported")
        self.position = end + 1
        return value

    def _arguments(self) -> list[str]:
        self._expect("(")
        arguments = []
        while self.text[self.position] != ")":
            if self.text[self.position] in "'\"":
                arguments.append(self._string_literal())
            elif self.text[self.position] == "$":
                arguments.append(self.reference())
            else:
                raise TemplateError(f"unsupported argument at {self.text[self.position:self.position + 30]!r}")
            if self.text[self.position] == ",":
                self.position += 1
        self._expect(")")
        return arguments

    def reference(self) -> str:
        self._expect("$")
        root = self._name()
        self._expect(".")
        function = f"{root}.{self._name()}"
        arguments = self._arguments()
        if function == "input.params" and len(arguments) == 1:
            value = self.request.param(arguments[0])
        elif function == "util.urlDecode" and len(arguments) == 1:
            value = url_decode(arguments[0])
        elif function == "util.base64Decode" and len(arguments) == 1:
            value = base64_decode(arguments[0])
        elif function == "util.escapeJavaScript" and len(arguments) == 1:
            value = escape_javascript(arguments[0])
        else:
            raise TemplateError(f"${function} with {len(arguments)} arguments is not supported")
        while self.text.startswith(".replaceAll(", self.position):
            self.position += len(".replaceAll")
            pattern, replacement = self._arguments()
            if "$" in replacement or "\\" in replacement:
                raise TemplateError(f"replacement {replacement!r} with group references is not supported")
            value = re.sub(pattern, lambda _: replacement, value)
        return value


def _substitute(line: str, request: Request) -> str:
    out, position = [], 0
    while (start := line.find("$", position)) >= 0:
        out.append(line[position:start])
        parser = _Parser(line, start, request)
        out.append(parser.reference())
        position = parser.position
    out.append(line[position:])
    return "".join(out)


_IF = re.compile(r'^\s*#if\((\$.*?)\s*(==|!=)\s*""\)\s*$')


def render(template: str, request: Request) -> str:
    """The text API Gateway would pass to the integration for `request`."""
    out: list[str] = []
    stack: list[tuple[bool, bool]] = []  # per open #if: (this branch is taken, the enclosing text is active)
    for line in template.splitlines():
        stripped = line.strip()
        active = not stack or (stack[-1][0] and stack[-1][1])
        if match := _IF.match(line):
            parser = _Parser(match.group(1), 0, request)
            value = parser.reference()
            if parser.position != len(match.group(1)):
                raise TemplateError(f"unsupported condition {match.group(1)!r}")
            stack.append(((value == "") == (match.group(2) == "=="), active))
        elif stripped == "#else":
            taken, enclosing = stack.pop()
            stack.append((not taken, enclosing))
        elif stripped == "#end":
            stack.pop()
        elif stripped.startswith("#"):
            raise TemplateError(f"unsupported directive {stripped!r}")
        elif active:
            out.append(_substitute(line, request))
    if stack:
        raise TemplateError("#if without #end")
    return "\n".join(out) + "\n"
