"""One self-contained HTML page for reviewing the changes to many files (`untangle diff --format html`).

The page has a sortable summary with a chart, a strip per file showing where the spun paragraphs and
the changes are, and every changed sentence with its old words struck and new ones marked. It reads
without JavaScript; the inline script only adds the filters. Every piece of input text is escaped,
and the page's Content-Security-Policy lets only its own inline style and script (by hash) run, so
markup or script in a spun page shows as text and never runs. Rendering only consumes results.
"""

from __future__ import annotations

import base64
import hashlib
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape

from untangle.render import sentence_span
from untangle.result import Change, Result

SPUN = 0.5  # a file is counted as spun at this spun probability, as `untangle check` calls it
SURE, LIKELY = 0.9, 0.7  # confidence bands, coloured apart
EXCERPT = 300  # characters of a sentence kept on each side of its changes
STRIP_WIDTH = 1000  # the strip's coordinate width (it is scaled to the page)


@dataclass(frozen=True, slots=True)
class _Shown:
    """One suggestion as the page shows it: where it is and whether fix applies it."""

    change: Change
    applied: bool
    ident: str  # the element id the strip links to


@dataclass(slots=True)
class _Row:
    """One sentence shown with some of its suggestions (none overlapping), as ready HTML."""

    line: int
    html: str


@dataclass(slots=True)
class _File:
    """What the page needs of one file: its figures, its strip and its sentences (not its text)."""

    path: str
    index: int
    length: int = 0
    spun_probability: float = 0.0
    spin_level: float = 0.0
    applied: int = 0
    held_back: int = 0
    spans: list[tuple[int, int, float]] = field(default_factory=list)  # spun paragraphs
    ticks: list[_Shown] = field(default_factory=list)
    rows: list[_Row] = field(default_factory=list)
    held_rows: list[_Row] = field(default_factory=list)
    failure: str = ""  # why the file could not be read, if it could not


class HtmlReport:
    """Collects files' results one at a time, then renders the whole page.

    >>> page = HtmlReport()
    >>> page.add("a.txt", "Helium said so.", Result("He said so.", (Change(0, 6, "Helium", "He", 0.95, "why"),)))
    >>> page.render().count('class="change')
    1
    """

    def __init__(self, threshold: float = 0.7, title: str = "untangle report") -> None:
        self.threshold = threshold
        self.title = title
        self.files: list[_File] = []

    def add(self, path: str, source: str, result: Result) -> None:
        """Add one file's result; only what the page shows of `source` is kept."""
        entry = _File(path, len(self.files), len(source), result.spun_probability, result.spin_level)
        entry.applied, entry.held_back = len(result.changes), len(result.held_back)
        entry.spans = [(p.start, p.end, p.spun_probability) for p in result.paragraphs if p.spun_probability >= SPUN]
        shown = [
            _Shown(change, applied, f"c{entry.index}-{number}")
            for number, (applied, change) in enumerate(
                sorted(
                    [(True, c) for c in result.changes] + [(False, c) for c in result.held_back],
                    key=lambda pair: (pair[1].start, not pair[0]),
                )
            )
        ]
        entry.ticks = shown
        lines = [0] + [index + 1 for index, char in enumerate(source) if char == "\n"]
        entry.rows = _rows(source, [s for s in shown if s.applied], lines)
        entry.held_rows = _rows(source, [s for s in shown if not s.applied], lines, result.changes)
        self.files.append(entry)

    def add_failure(self, path: str, message: str) -> None:
        """Add a file that could not be read or repaired, with the reason."""
        self.files.append(_File(path, len(self.files), failure=message or "could not be read"))

    def render(self) -> str:
        """The whole page, as one string."""
        style, script = _STYLE, _SCRIPT
        policy = (
            "default-src 'none'; img-src data:; "
            f"style-src '{_digest(style)}'; script-src '{_digest(script)}'; form-action 'none'; base-uri 'none'"
        )
        read = [f for f in self.files if not f.failure]
        spun = sum(f.spun_probability >= SPUN for f in read)
        applied = sum(f.applied for f in read)
        held = sum(f.held_back for f in read)
        failed = len(self.files) - len(read)
        parts = [
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{escape(self.title)}</title>\n<style>{style}</style>\n</head>\n<body>\n",
            f"<header><h1>{escape(self.title)}</h1>\n",
            '<p class="totals">',
            f"<b>{len(read)}</b> file{'s' if len(read) != 1 else ''} scanned, ",
            f"<b>{spun}</b> spun, <b>{applied}</b> change{'s' if applied != 1 else ''} applied, ",
            f"<b>{held}</b> held back (below {self.threshold:.2f} confidence)",
            f", <b>{failed}</b> not read" if failed else "",
            "</p>\n",
            _legend(),
            "</header>\n",
            _controls(applied + held),
            "<main>\n",
            _summary(self.files),
            '<h2 id="files">Files</h2>\n',
            *(_file_section(entry) for entry in self.files),
            "</main>\n",
            f"<script>{script}</script>\n</body>\n</html>\n",
        ]
        return "".join(parts)


def _digest(text: str) -> str:
    """The CSP source expression allowing exactly this inline style or script."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _band(confidence: float) -> str:
    """The CSS class of a confidence band: sure, likely, or doubtful."""
    return "sure" if confidence >= SURE else "likely" if confidence >= LIKELY else "doubtful"


def _rows(source: str, shown: Sequence[_Shown], lines: list[int], applied: Sequence[Change] = ()) -> list[_Row]:
    """The sentences holding `shown`, each once per layer of suggestions that do not overlap; the
    `applied` changes around them (for held-back suggestions) read as fix writes them."""
    groups: list[tuple[int, int, list[_Shown]]] = []
    for item in shown:  # in text order
        left, right = sentence_span(source, item.change.start, item.change.end)
        if groups and left < groups[-1][1]:
            start, end, members = groups[-1]
            groups[-1] = (start, max(end, right), [*members, item])
        else:
            groups.append((left, right, [item]))
    rows = []
    for left, right, members in groups:
        layers: list[list[_Shown]] = []
        for item in members:  # an alternative for a span already shown goes to a layer of its own
            layer = next((lay for lay in layers if lay[-1].change.end <= item.change.start), None)
            if layer is None:
                layers.append([item])
            else:
                layer.append(item)
        for layer in layers:
            line = bisect_right(lines, layer[0].change.start)
            rows.append(_Row(line, _sentence(source, left, right, layer, applied)))
    return rows


def _sentence(source: str, left: int, right: int, layer: Sequence[_Shown], applied: Sequence[Change]) -> str:
    """A sentence as HTML: the text escaped, each suggestion an element carrying its data, and each
    applied change that does not touch them as its new words."""
    first, last = layer[0].change.start, layer[-1].change.end
    lo, hi = max(left, first - EXCERPT), min(right, last + EXCERPT)
    marks = [(item.change.start, item.change.end, _change(item)) for item in layer]
    for change in applied:
        if (
            lo <= change.start
            and change.end <= hi
            and not any(change.start < item.change.end and item.change.start < change.end for item in layer)
        ):
            title = escape(f"applied: {change.old} → {change.new} ({change.confidence:.0%})")
            marks.append((change.start, change.end, f'<span class="fixed" title="{title}">{escape(change.new)}</span>'))
    marks.sort(key=lambda mark: mark[0])
    pieces = ["…" if lo > left else ""]
    position = lo
    for start, end, html in marks:
        pieces.append(escape(source[position:start]))
        pieces.append(html)
        position = end
    pieces.append(escape(source[position:hi]))
    pieces.append("…" if hi < right else "")
    return "".join(pieces)


def _change(item: _Shown) -> str:
    """One suggestion: old struck, new marked, its reason on hover or focus; the old word as plain
    text follows it, shown only when a filter hides the suggestion."""
    change = item.change
    band = _band(change.confidence)
    state = "applied" if item.applied else "held back"
    why = (
        f"{change.confidence:.0%} · {state} · {change.relation or 'change'} · {change.family} family · {change.scorer}"
    )
    return (
        f'<span class="change {band}" id="{item.ident}" tabindex="0"'
        f' data-old="{escape(change.old)}" data-new="{escape(change.new)}"'
        f' data-confidence="{change.confidence:.4f}" data-applied="{"true" if item.applied else "false"}"'
        f' data-relation="{escape(change.relation)}" aria-describedby="{item.ident}-why">'
        f"<del>{escape(change.old)}</del><ins>{escape(change.new)}</ins>"
        f'<span class="why" role="tooltip" id="{item.ident}-why">{escape(why)}<br>{escape(change.reason)}</span>'
        f'</span><span class="orig">{escape(change.old)}</span>'
    )


def _legend() -> str:
    return (
        '<p class="legend">Confidence: <span class="key sure">90% or more</span> '
        '<span class="key likely">70 to 90%</span> <span class="key doubtful">below 70%</span>. '
        "Hover over or tab to a change for its reason.</p>\n"
    )


def _controls(total: int) -> str:
    """The filters; hidden until the script runs, since without it they could do nothing."""
    return (
        '<form id="controls" hidden>\n'
        '<label>Confidence at least <input type="range" id="min-confidence" min="0" max="1" step="0.01"'
        ' value="0"> <output id="min-confidence-value">0.00</output></label>\n'
        '<label><input type="checkbox" id="show-held" checked> held-back suggestions</label>\n'
        '<label>File <input type="search" id="file-filter" placeholder="part of a path"></label>\n'
        '<label>Word <input type="search" id="word-filter" placeholder="old or new word"></label>\n'
        f'<span id="shown-count" aria-live="polite">{total} of {total} suggestions shown</span>\n'
        "</form>\n"
    )


def _summary(files: Sequence[_File]) -> str:
    """The chart and the sortable table of files."""
    rows = []
    for entry in files:
        anchor = f"f{entry.index}"
        if entry.failure:
            rows.append(
                f'<tr class="file-row" data-path="{escape(entry.path)}"><td data-sort="{escape(entry.path)}">'
                f'<a href="#{anchor}">{escape(entry.path)}</a></td><td data-sort="-1" colspan="5">'
                f"not read: {escape(entry.failure)}</td></tr>\n"
            )
            continue
        verdict = "spun" if entry.spun_probability >= SPUN else "clean"
        rows.append(
            f'<tr class="file-row {verdict}" data-path="{escape(entry.path)}">'
            f'<td data-sort="{escape(entry.path)}"><a href="#{anchor}">{escape(entry.path)}</a></td>'
            f'<td data-sort="{entry.spun_probability:.4f}">{verdict}</td>'
            f'<td data-sort="{entry.spun_probability:.4f}" class="num">{entry.spun_probability:.2f}</td>'
            f'<td data-sort="{entry.spin_level:.4f}" class="num">{entry.spin_level:.2f}</td>'
            f'<td data-sort="{entry.applied}" class="num">{entry.applied}</td>'
            f'<td data-sort="{entry.held_back}" class="num">{entry.held_back}</td></tr>\n'
        )
    headers = "".join(
        f'<th scope="col" data-type="{kind}"><button type="button">{name}</button></th>'
        for name, kind in (
            ("File", "text"),
            ("Verdict", "number"),
            ("Spun probability", "number"),
            ("Spin level", "number"),
            ("Changes", "number"),
            ("Held back", "number"),
        )
    )
    return (
        '<section class="summary"><h2>Summary</h2>\n'
        + _chart([f for f in files if not f.failure])
        + f'<table id="file-table"><thead><tr>{headers}</tr></thead>\n<tbody>\n{"".join(rows)}</tbody></table>\n'
        "</section>\n"
    )


def _chart(files: Sequence[_File]) -> str:
    """An inline SVG histogram: how many files fall in each tenth of spun probability."""
    bins = [0] * 10
    for entry in files:
        bins[min(9, int(entry.spun_probability * 10))] += 1
    top = max(bins) or 1
    bars = []
    for number, count in enumerate(bins):
        height = 100 * count / top
        x = 30 + number * 40
        label = f"{number / 10:.1f} to {(number + 1) / 10:.1f}: {count} file{'s' if count != 1 else ''}"
        bars.append(
            f'<g><title>{label}</title><rect x="{x}" y="{110 - height:.1f}" width="34" height="{height:.1f}"'
            f' class="bar{" spun" if number >= 5 else ""}"/>'
            f'<text x="{x + 17}" y="{106 - height:.1f}" text-anchor="middle">{count}</text></g>'
        )
    ticks = "".join(
        f'<text x="{30 + n * 40}" y="126" text-anchor="middle">{n / 10:.1f}</text>' for n in range(0, 11, 2)
    )
    return (
        '<figure class="chart"><svg viewBox="0 0 440 140" width="440" height="140" role="img"'
        ' aria-labelledby="chart-title"><title id="chart-title">Files by spun probability</title>'
        f'<line x1="28" y1="110" x2="432" y2="110" class="axis"/>{"".join(bars)}{ticks}</svg>'
        "<figcaption>Files by spun probability (0 clean, 1 spun)</figcaption></figure>\n"
    )


def _strip(entry: _File) -> str:
    """Where in the file the spun paragraphs (shaded) and the suggestions (ticks) are."""
    if entry.length == 0:
        return ""
    scale = STRIP_WIDTH / entry.length
    parts = [
        f'<svg class="strip" viewBox="0 0 {STRIP_WIDTH} 20" preserveAspectRatio="none" role="img"'
        f' aria-label="where the spun paragraphs and changes are"><rect x="0" y="0" width="{STRIP_WIDTH}"'
        ' height="20" class="track"/>'
    ]
    for start, end, probability in entry.spans:
        parts.append(
            f'<rect x="{start * scale:.1f}" y="0" width="{max(1.0, (end - start) * scale):.1f}" height="20"'
            f' class="spun-span" fill-opacity="{0.25 + 0.5 * probability:.2f}"><title>spun paragraph,'
            f" probability {probability:.2f}</title></rect>"
        )
    for item in entry.ticks:
        x = item.change.start * scale
        kind = _band(item.change.confidence) if item.applied else "held"
        parts.append(
            f'<a href="#{item.ident}" class="tick" data-ref="{item.ident}"><rect x="{x:.1f}" y="3" width="3"'
            f' height="14" class="{kind}"><title>{escape(item.change.old)} → {escape(item.change.new)}'
            f" ({item.change.confidence:.0%})</title></rect></a>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _file_section(entry: _File) -> str:
    head = (
        f'<section class="file" id="f{entry.index}" data-path="{escape(entry.path)}"'
        f' data-spun-probability="{entry.spun_probability:.4f}">\n<h3>{escape(entry.path)}</h3>\n'
    )
    if entry.failure:
        return head + f'<p class="failure">Not read: {escape(entry.failure)}</p>\n</section>\n'
    verdict = "spun" if entry.spun_probability >= SPUN else "clean"
    facts = (
        f'<p class="facts">{verdict}: spun probability {entry.spun_probability:.2f}, spin level'
        f" {entry.spin_level:.2f}; {entry.applied} change{'s' if entry.applied != 1 else ''} applied,"
        f" {entry.held_back} held back</p>\n"
    )
    body = [head, facts, _strip(entry), "\n"]
    if entry.rows:
        body.append(_sentences("Changes", entry.rows, "applied-list"))
    if entry.held_rows:
        body.append(_sentences("Held back (not applied)", entry.held_rows, "held-list"))
    if not entry.rows and not entry.held_rows:
        body.append('<p class="nothing">Nothing to change.</p>\n')
    body.append("</section>\n")
    return "".join(body)


def _sentences(heading: str, rows: Iterable[_Row], kind: str) -> str:
    items = "".join(f'<li class="sentence"><span class="line">line {r.line}</span> {r.html}</li>\n' for r in rows)
    return f'<div class="{kind}"><h4>{heading}</h4>\n<ol>\n{items}</ol></div>\n'


_STYLE = """
:root{--fg:#1d1d1f;--bg:#fff;--muted:#5f6368;--line:#d9dce1;--sure:#1a7f37;--likely:#9a6700;
--doubtful:#b42318;--held:#6e40c9;--spun:#f0883e;--track:#eef0f3}
@media (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--bg:#16181c;--muted:#a0a4ab;--line:#343840;
--sure:#4ac26b;--likely:#d4a72c;--doubtful:#ff7b72;--held:#b392f0;--track:#262a31}}
body{font:15px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:0 auto;
max-width:72rem;padding:0 1rem 4rem}
h1{font-size:1.5rem;margin:1rem 0 .25rem}h2{font-size:1.2rem;margin-top:1.5rem}
h3{font-size:1.05rem;margin:0;word-break:break-all}h4{font-size:.9rem;margin:.6rem 0 .2rem;color:var(--muted)}
.totals{margin:.25rem 0}.legend{color:var(--muted);margin:.25rem 0}
.key{font-weight:600}.key.sure{color:var(--sure)}.key.likely{color:var(--likely)}.key.doubtful{color:var(--doubtful)}
#controls{position:sticky;top:0;z-index:2;background:var(--bg);border-bottom:1px solid var(--line);
padding:.5rem 0;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:center}
#controls[hidden]{display:none}#shown-count{color:var(--muted)}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid var(--line);padding:.2rem .5rem;text-align:left}
th button{font:inherit;font-weight:600;background:none;border:0;color:inherit;cursor:pointer;padding:0}
th[aria-sort=ascending] button::after{content:" \\25B2"}th[aria-sort=descending] button::after{content:" \\25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums}tr.spun td:nth-child(2){color:var(--spun);font-weight:600}
.chart{margin:0 0 1rem}.chart text{font-size:10px;fill:var(--muted)}.bar{fill:var(--muted)}.bar.spun{fill:var(--spun)}
.axis{stroke:var(--line)}
.file{border-top:1px solid var(--line);padding:.75rem 0}.facts{margin:.2rem 0;color:var(--muted)}
.strip{width:100%;height:20px;display:block}.track{fill:var(--track)}.spun-span{fill:var(--spun)}
.tick rect.sure{fill:var(--sure)}.tick rect.likely{fill:var(--likely)}.tick rect.doubtful{fill:var(--doubtful)}
.tick rect.held{fill:var(--held);fill-opacity:.6}.tick.off{display:none}
ol{padding-left:1.2rem;margin:.2rem 0}li.sentence{margin:.25rem 0}.line{color:var(--muted);font-size:.8rem}
.change{position:relative;border-radius:3px;padding:0 2px;outline-offset:1px}
.change del{color:var(--muted)}.change ins{text-decoration:none;font-weight:600;margin-left:.2em}
.change.sure ins{color:var(--sure)}.change.likely ins{color:var(--likely)}.change.doubtful ins{color:var(--doubtful)}
.held-list .change{border:1px dashed var(--held)}.fixed{text-decoration:underline dotted var(--muted)}
.why{display:none;position:absolute;left:0;top:1.4em;z-index:3;min-width:16rem;max-width:30rem;
background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:4px;padding:.3rem .5rem;
font-size:.8rem;box-shadow:0 2px 8px rgba(0,0,0,.2)}
.change:hover .why,.change:focus .why{display:block}
.orig{display:none}.change.off{display:none}.change.off+.orig{display:inline}
.failure{color:var(--doubtful)}.nothing{color:var(--muted);margin:.2rem 0}
[hidden]{display:none!important}
"""

_SCRIPT = """
(function(){
"use strict";
var form=document.getElementById("controls");form.hidden=false;
var slider=document.getElementById("min-confidence"),shown=document.getElementById("min-confidence-value"),
held=document.getElementById("show-held"),byFile=document.getElementById("file-filter"),
byWord=document.getElementById("word-filter"),count=document.getElementById("shown-count");
var rows={};document.querySelectorAll("tr.file-row").forEach(function(r){rows[r.dataset.path]=r;});
function update(){
  var min=parseFloat(slider.value),withHeld=held.checked,f=byFile.value.trim().toLowerCase(),
  w=byWord.value.trim().toLowerCase(),visible=0,total=0;
  shown.textContent=min.toFixed(2);
  document.querySelectorAll("section.file").forEach(function(file){
    var pathOk=file.dataset.path.toLowerCase().indexOf(f)>=0,inFile=0;
    file.querySelectorAll(".change").forEach(function(c){
      total++;
      var ok=pathOk&&parseFloat(c.dataset.confidence)>=min&&(withHeld||c.dataset.applied==="true")&&
        (!w||c.dataset.old.toLowerCase().indexOf(w)>=0||c.dataset.new.toLowerCase().indexOf(w)>=0);
      c.classList.toggle("off",!ok);
      if(ok){visible++;inFile++;}
    });
    file.querySelectorAll("li.sentence").forEach(function(s){s.hidden=!s.querySelector(".change:not(.off)");});
    file.querySelectorAll(".applied-list,.held-list").forEach(function(list){
      list.hidden=!list.querySelector("li.sentence:not([hidden])");});
    file.querySelectorAll(".tick").forEach(function(t){
      var c=document.getElementById(t.dataset.ref);t.classList.toggle("off",!!c&&c.classList.contains("off"));});
    file.hidden=!pathOk||(w!==""&&inFile===0);
    var row=rows[file.dataset.path];if(row){row.hidden=file.hidden;}
  });
  count.textContent=visible+" of "+total+" suggestions shown";
}
[slider,held,byFile,byWord].forEach(function(el){el.addEventListener("input",update);});
held.addEventListener("change",update);
var table=document.getElementById("file-table");
table.querySelectorAll("th").forEach(function(th,col){
  th.querySelector("button").addEventListener("click",function(){
    var down=th.getAttribute("aria-sort")!=="descending",numeric=th.dataset.type==="number";
    table.querySelectorAll("th").forEach(function(h){h.removeAttribute("aria-sort");});
    th.setAttribute("aria-sort",down?"descending":"ascending");
    var body=table.tBodies[0],list=Array.prototype.slice.call(body.rows);
    list.sort(function(a,b){
      var x=a.cells[Math.min(col,a.cells.length-1)].dataset.sort,y=b.cells[Math.min(col,b.cells.length-1)].dataset.sort;
      var d=numeric?parseFloat(x)-parseFloat(y):x.localeCompare(y);return down?-d:d;});
    list.forEach(function(r){body.appendChild(r);});
  });
});
update();
})();
"""
