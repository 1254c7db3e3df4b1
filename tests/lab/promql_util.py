"""Small PromQL helpers shared by the lab checks (standard library only).

- substitute(): replaces Grafana template variables in an expression.
- selectors(): the vector selectors of an expression (metric name plus matchers), found with
  a tokenizer that knows PromQL's strings, matcher braces, ranges, functions, aggregations and
  their label lists. It does not validate the expression: Prometheus does that.
- metric_name(): the metric name of a selector.
"""
import re

AGGREGATIONS = {"sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
                "bottomk", "topk", "quantile", "limitk", "limit_ratio"}
LABEL_LIST_KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right"}
OTHER_KEYWORDS = {"and", "or", "unless", "bool", "offset", "atan2", "inf", "nan"}

_IDENT = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_VAR = re.compile(r"\$\{(\w+)(?::[\w]+)?\}|\$(\w+)|\[\[(\w+)\]\]")


def substitute(expr, values):
    """values: variable name -> replacement. Unknown names (such as label_replace's "$1")
    are left untouched."""
    def repl(m):
        name = m.group(1) or m.group(2) or m.group(3)
        return values.get(name, m.group(0))
    return _VAR.sub(repl, expr)


def variables_used(expr):
    return {m.group(1) or m.group(2) or m.group(3) for m in _VAR.finditer(expr)}


def _skip_string(s, i):
    q = s[i]
    i += 1
    while i < len(s):
        if s[i] == "\\" and q != "`":
            i += 2
            continue
        if s[i] == q:
            return i + 1
        i += 1
    raise ValueError("unterminated string in %r" % s)


def _skip_block(s, i, open_ch, close_ch):
    """s[i] == open_ch; returns the index after the matching close_ch."""
    depth = 0
    while i < len(s):
        c = s[i]
        if c in "\"'`":
            i = _skip_string(s, i)
            continue
        if c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced %s%s in %r" % (open_ch, close_ch, s))


def _next_nonspace(s, i):
    while i < len(s) and s[i].isspace():
        i += 1
    return i


def selectors(expr):
    out = []
    s = expr
    i = 0
    while i < len(s):
        c = s[i]
        if c.isspace():
            i += 1
        elif c in "\"'`":
            i = _skip_string(s, i)
        elif c == "#":  # comment to end of line
            while i < len(s) and s[i] != "\n":
                i += 1
        elif c == "[":
            i = _skip_block(s, i, "[", "]")
        elif c == "{":  # selector without a metric name
            j = _skip_block(s, i, "{", "}")
            out.append(s[i:j])
            i = j
        elif c.isdigit() or (c == "." and i + 1 < len(s) and s[i + 1].isdigit()):
            while i < len(s) and (s[i].isalnum() or s[i] in "._"):
                i += 1
        elif _IDENT.match(s, i):
            m = _IDENT.match(s, i)
            word = m.group(0)
            i = m.end()
            j = _next_nonspace(s, i)
            low = word.lower()
            if low in LABEL_LIST_KEYWORDS:
                if j < len(s) and s[j] == "(":
                    i = _skip_block(s, j, "(", ")")
            elif low in OTHER_KEYWORDS or low in AGGREGATIONS:
                pass
            elif j < len(s) and s[j] == "(":
                pass  # a function call
            else:
                if j < len(s) and s[j] == "{":
                    k = _skip_block(s, j, "{", "}")
                    out.append(word + s[j:k])
                    i = k
                else:
                    out.append(word)
        else:
            i += 1
    # Keep order, drop duplicates.
    seen = set()
    uniq = []
    for sel in out:
        if sel not in seen:
            seen.add(sel)
            uniq.append(sel)
    return uniq


def metric_name(selector):
    m = _IDENT.match(selector)
    if m:
        return m.group(0)
    m = re.search(r'__name__\s*=\s*"([^"]+)"', selector)
    return m.group(1) if m else None


_LABEL_VALUES = re.compile(r"^\s*label_values\(\s*(.*?)\s*,\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$", re.S)
_LABEL_VALUES_1 = re.compile(r"^\s*label_values\(\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$")


def parse_label_values(query):
    """Returns (selector or None, label) for label_values(...) variable queries, else None."""
    m = _LABEL_VALUES.match(query)
    if m:
        return m.group(1), m.group(2)
    m = _LABEL_VALUES_1.match(query)
    if m:
        return None, m.group(1)
    return None


def variable_query_text(var):
    q = var.get("query")
    if isinstance(q, dict):
        q = q.get("query", "")
    return q or ""


def walk_panels(panels):
    """Every panel, including those nested in (collapsed) rows."""
    for p in panels:
        yield p
        for child in p.get("panels", []) or []:
            yield child
